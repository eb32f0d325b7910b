import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEmfLine } from "../../../../localcloud/cloudwatch/emf.ts";

describe("embedded metric format", () => {
  it("reads each metric once per dimension set, with the line's timestamp and unit", () => {
    const line = JSON.stringify({
      _aws: { Timestamp: 1_700_000_000_000, CloudWatchMetrics: [{ Namespace: "Brokerage", Dimensions: [["service"], ["service", "side"]], Metrics: [{ Name: "OrdersAccepted", Unit: "Count" }] }] },
      service: "orders",
      side: "BUY",
      OrdersAccepted: 2,
    });

    const points = parseEmfLine(line);

    assert.deepEqual(points, [
      { metric: { namespace: "Brokerage", metricName: "OrdersAccepted", dimensions: { service: "orders" } }, timestamp: 1_700_000_000_000, values: [2], unit: "Count" },
      { metric: { namespace: "Brokerage", metricName: "OrdersAccepted", dimensions: { service: "orders", side: "BUY" } }, timestamp: 1_700_000_000_000, values: [2], unit: "Count" },
    ]);
  });

  it("takes arrays of values, a runtime's prefix before the JSON, and no dimension set", () => {
    const json = JSON.stringify({ _aws: { Timestamp: 5, CloudWatchMetrics: [{ Namespace: "N", Dimensions: [], Metrics: [{ Name: "Latency" }] }] }, Latency: [1, 2, 3] });

    const points = parseEmfLine(`2026-12-02T10:00:00.000Z\tabc\tINFO\t${json}`);

    assert.deepEqual(points, [{ metric: { namespace: "N", metricName: "Latency", dimensions: {} }, timestamp: 5, values: [1, 2, 3] }]);
  });

  it("ignores lines that are not EMF, and sets naming a member the line lacks", () => {
    assert.deepEqual(parseEmfLine('{"level":"INFO","message":"hello"}'), []);
    assert.deepEqual(parseEmfLine("START RequestId: 1 Version: $LATEST"), []);
    assert.deepEqual(parseEmfLine('{"_aws":{"CloudWatchMetrics":[ broken'), []);
    const missing = JSON.stringify({ _aws: { Timestamp: 1, CloudWatchMetrics: [{ Namespace: "N", Dimensions: [["service"]], Metrics: [{ Name: "X" }] }] }, X: 1 });
    assert.deepEqual(parseEmfLine(missing), []);
  });
});
