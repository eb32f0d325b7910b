/** Alarms evaluated over the trailing periods of the metric store, on a clock the test moves. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AlarmDefinition } from "../../../../localcloud/cloudwatch/alarm-definition.ts";
import { AlarmStore } from "../../../../localcloud/cloudwatch/alarm-store.ts";
import { MetricStore } from "../../../../localcloud/cloudwatch/metric-store.ts";
import { sampleOf } from "../../../../localcloud/cloudwatch/statistics.ts";

const depth = { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: "orders" } };

function setup() {
  let now = 1_800_000_000_000;
  const metrics = new MetricStore(3 * 3600_000, () => now);
  const alarms = new AlarmStore(metrics, (name) => `arn:${name}`, () => now);
  const definition: AlarmDefinition = {
    name: "Backlog",
    actionsEnabled: true,
    alarmActions: [],
    okActions: [],
    insufficientDataActions: [],
    metric: { ...depth, stat: "Maximum", periodSeconds: 60 },
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    threshold: 100,
    comparisonOperator: "GreaterThanThreshold",
  };
  return {
    metrics,
    alarms,
    definition,
    at: (secondsAgo: number, value: number) => metrics.put(depth, sampleOf(now - secondsAgo * 1000, value)),
    advance: (seconds: number) => (now += seconds * 1000),
  };
}

describe("alarm store", () => {
  it("starts without data, then alarms on 2 breaching periods out of the last 3", () => {
    const { alarms, definition, at, advance } = setup();
    alarms.put(definition);
    assert.equal(alarms.get("Backlog")?.state, "INSUFFICIENT_DATA");

    at(150, 50);
    at(90, 150);
    alarms.evaluate();
    assert.equal(alarms.get("Backlog")?.state, "OK");

    at(10, 120);
    alarms.evaluate();
    assert.equal(alarms.get("Backlog")?.state, "ALARM");
    assert.match(alarms.get("Backlog")?.reason ?? "", /\[50\.0, 150\.0, 120\.0\]/);

    // Three minutes later the breaching periods have left the window, and there is no data.
    advance(180);
    alarms.evaluate();
    assert.equal(alarms.get("Backlog")?.state, "INSUFFICIENT_DATA");
    assert.deepEqual(alarms.history("Backlog").filter((item) => item.historyItemType === "StateUpdate").map((item) => item.summary), [
      "Alarm updated from ALARM to INSUFFICIENT_DATA",
      "Alarm updated from OK to ALARM",
      "Alarm updated from INSUFFICIENT_DATA to OK",
    ]);
  });

  it("keeps the state when the alarm is put again, and forgets a deleted alarm", () => {
    const { alarms, definition, at } = setup();
    at(10, 500);
    alarms.put({ ...definition, datapointsToAlarm: 1 });
    assert.equal(alarms.get("Backlog")?.state, "ALARM");
    alarms.put({ ...definition, datapointsToAlarm: 1, description: "now described" });
    assert.equal(alarms.get("Backlog")?.state, "ALARM");
    assert.equal(alarms.delete("Backlog"), true);
    assert.deepEqual(alarms.list(), []);
  });

  it("leaves a metric-math alarm without data, with the error as its reason, when its expression is wrong", () => {
    const { alarms, definition, at } = setup();
    at(10, 500);
    const { metric: _metric, ...rest } = definition;
    alarms.put({ ...rest, metrics: [{ id: "m", metricStat: { metric: depth, periodSeconds: 60, stat: "Maximum" }, returnData: false }, { id: "e", expression: "m / nobody" }] });
    assert.equal(alarms.get("Backlog")?.state, "INSUFFICIENT_DATA");
    assert.match(alarms.get("Backlog")?.reason ?? "", /Unknown metric id "nobody"/);
  });
});

describe("metric store", () => {
  it("merges the samples of one second, keeping every statistic exact", () => {
    const now = 1_800_000_000_000;
    const metrics = new MetricStore(3600_000, () => now);
    for (const value of [4, 1, 7]) metrics.put(depth, sampleOf(now - 500, value));
    metrics.put(depth, sampleOf(now - 1500, 10));

    const stat = (name: string) => metrics.periods(depth, name, 60, now - 60_000, now + 1).values[0];
    assert.deepEqual([stat("Sum"), stat("SampleCount"), stat("Minimum"), stat("Maximum"), stat("Average"), stat("p50")], [22, 4, 1, 10, 5.5, 4]);
  });

  it("drops samples older than its window", () => {
    let now = 1_800_000_000_000;
    const metrics = new MetricStore(60_000, () => now);
    metrics.put(depth, sampleOf(now - 120_000, 1));
    assert.deepEqual(metrics.list(), []);
    metrics.put(depth, sampleOf(now, 1));
    now += 120_000;
    assert.deepEqual(metrics.list(), []);
  });
});
