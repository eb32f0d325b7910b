import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type AlarmRule, decideState, type TreatMissingData } from "../../../../localcloud/cloudwatch/alarm-rules.ts";

/** "X" breaches (value 1), "0" does not, "-" is missing; threshold 1, >=. */
function datapoints(pattern: string): (number | undefined)[] {
  return pattern.split(" ").map((point) => (point === "X" ? 1 : point === "0" ? 0 : undefined));
}

function decide(pattern: string, treatMissingData: TreatMissingData, datapointsToAlarm = 3): string {
  const rule: AlarmRule = { evaluationPeriods: 5, datapointsToAlarm, threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold", treatMissingData };
  return decideState(datapoints(pattern), rule)?.state ?? "unchanged";
}

describe("alarm evaluation rules", () => {
  // The table in CloudWatch's documentation: 3 datapoints to alarm out of 5 evaluation periods.
  const table: [string, string, string, string, string][] = [
    ["0 - X - X", "OK", "OK", "ALARM", "OK"],
    ["0 0 X 0 X", "OK", "OK", "OK", "OK"],
    ["0 - - - -", "OK", "OK", "ALARM", "OK"],
    ["- - - - -", "INSUFFICIENT_DATA", "unchanged", "ALARM", "OK"],
    ["0 X X - X", "ALARM", "ALARM", "ALARM", "ALARM"],
    ["- - X - -", "ALARM", "ALARM", "ALARM", "OK"],
  ];
  for (const [pattern, missing, ignore, breaching, notBreaching] of table) {
    it(`decides ${pattern} as the documentation's table does`, () => {
      assert.equal(decide(pattern, "missing"), missing);
      assert.equal(decide(pattern, "ignore"), ignore);
      assert.equal(decide(pattern, "breaching"), breaching);
      assert.equal(decide(pattern, "notBreaching"), notBreaching);
    });
  }

  it("compares with each operator, at the threshold itself too", () => {
    const at = (comparisonOperator: AlarmRule["comparisonOperator"], value: number) =>
      decideState([value], { evaluationPeriods: 1, threshold: 10, comparisonOperator })?.state;
    assert.equal(at("GreaterThanOrEqualToThreshold", 10), "ALARM");
    assert.equal(at("GreaterThanThreshold", 10), "OK");
    assert.equal(at("LessThanThreshold", 9), "ALARM");
    assert.equal(at("LessThanOrEqualToThreshold", 10), "ALARM");
    assert.equal(at("LessThanOrEqualToThreshold", 11), "OK");
  });

  it("gives a reason naming the datapoints and the threshold", () => {
    const decision = decideState([5], { evaluationPeriods: 1, threshold: 1, comparisonOperator: "GreaterThanThreshold" });
    assert.match(decision?.reason ?? "", /1 out of the last 1 datapoints \[5\.0\] was greater than the threshold \(1\.0\)/);
  });
});
