import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluateExpression, idsOf, MetricMathError } from "../../../../localcloud/cloudwatch/metric-math.ts";

const series = new Map([
  ["errors", { timestamps: [0, 60, 120], values: [1, 0, 3] }],
  ["invocations", { timestamps: [0, 60, 120, 180], values: [4, 0, 6, 2] }],
]);

describe("metric math", () => {
  it("computes an error rate on the timestamps both series have, skipping a division by zero", () => {
    assert.deepEqual(evaluateExpression("100 * errors / invocations", series), { timestamps: [0, 120], values: [25, 50] });
  });

  it("honours precedence, parentheses and unary minus", () => {
    assert.deepEqual(evaluateExpression("(errors + 1) * 2 - -invocations / 2", series), { timestamps: [0, 60, 120], values: [6, 2, 11] });
  });

  it("names the ids it reads and refuses what it does not know", () => {
    assert.deepEqual(idsOf("100*errors/ invocations"), ["errors", "invocations"]);
    assert.throws(() => evaluateExpression("errors / missing", series), MetricMathError);
    assert.throws(() => evaluateExpression("SUM(METRICS())", series), MetricMathError);
    assert.throws(() => evaluateExpression("(errors", series), MetricMathError);
  });
});
