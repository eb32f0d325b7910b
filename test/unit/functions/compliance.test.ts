import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { complianceThresholds, type ComplianceAlertSink, type ExecutedOrder } from "../../../domain/compliance.ts";
import type { LargeOrderDetail } from "../../../domain/large-order-event.ts";
import { screenExecutedOrder } from "../../../functions/compliance/screen-order.ts";
import { handler } from "../../../functions/log-compliance-alert.ts";
import { lambdaContext } from "../../handlers/support/events.ts";
import { captureLogs, type CapturedLogs } from "../../handlers/support/logs.ts";

class RecordingSink implements ComplianceAlertSink {
  readonly raised: LargeOrderDetail[] = [];
  async raise(alert: LargeOrderDetail): Promise<void> {
    this.raised.push(alert);
  }
}

const order = (amount: number, currency: "BRL" | "USD" = "BRL"): ExecutedOrder => ({
  orderId: `o-${amount}`, userId: "1", correlationId: `c-${amount}`, ticker: "PETR4", side: "BUY", quantity: 5000,
  currency, amount, executedAt: "2026-12-02T12:00:00.000Z",
});

describe("screenExecutedOrder", () => {
  const thresholds = complianceThresholds({ USD: "20000.00" });

  test("raises one alert for a large order and says so", async () => {
    const sink = new RecordingSink();
    assert.equal(await screenExecutedOrder(order(20_000_000), sink, thresholds), true);
    assert.equal(sink.raised.length, 1);
    assert.equal(sink.raised[0]?.amount, "200000.00");
  });

  test("raises nothing for an order at or below the threshold", async () => {
    const sink = new RecordingSink();
    assert.equal(await screenExecutedOrder(order(10_000_000), sink, thresholds), false);
    assert.equal(await screenExecutedOrder(order(2_000_000, "USD"), sink, thresholds), false);
    assert.deepEqual(sink.raised, []);
  });

  test("a sink that fails makes screening fail, so the caller retries", async () => {
    const failing: ComplianceAlertSink = { raise: async () => { throw new Error("bus unavailable"); } };
    await assert.rejects(screenExecutedOrder(order(20_000_000), failing, thresholds), /bus unavailable/);
  });
});

const alertEvent = (detail: Record<string, unknown>) => ({
  version: "0", id: "e-1", "detail-type": "LargeOrderExecuted", source: "brokerage.orders", account: "000000000000",
  time: "2026-12-02T12:00:01Z", region: "us-east-1", resources: [], detail,
});

const detail = {
  orderId: "o-1", userId: "1", correlationId: "c-1", ticker: "PETR4", side: "BUY", quantity: 5000, currency: "BRL",
  amount: "202750.00", threshold: "100000.00", executedAt: "2026-12-02T12:00:00.000Z",
};

describe("log-compliance-alert", () => {
  let logs: CapturedLogs;
  before(() => (logs = captureLogs()));
  after(() => logs.stop());

  test("writes one WARN alert line with the order and correlation ids", async () => {
    logs.lines.length = 0;
    await handler(alertEvent(detail), lambdaContext("log-compliance-alert"));
    assert.equal(logs.lines.length, 1);
    assert.deepEqual(
      { level: logs.lines[0]?.["level"], message: logs.lines[0]?.["message"], orderId: logs.lines[0]?.["orderId"], correlationId: logs.lines[0]?.["correlationId"], amount: logs.lines[0]?.["amount"], eventId: logs.lines[0]?.["eventId"] },
      { level: "WARN", message: "COMPLIANCE ALERT: large order executed", orderId: "o-1", correlationId: "c-1", amount: "202750.00", eventId: "e-1" },
    );
  });

  test("a malformed event is logged as an error and dropped, not thrown back for a retry", async () => {
    logs.lines.length = 0;
    await handler(alertEvent({ ...detail, amount: 202750 }), lambdaContext("log-compliance-alert"));
    await handler({ id: "e-2", source: "elsewhere" }, lambdaContext("log-compliance-alert"));
    assert.deepEqual(logs.lines.map((line) => [line["level"], line["message"], line["eventId"]]), [
      ["ERROR", "malformed compliance event dropped", "e-1"],
      ["ERROR", "malformed compliance event dropped", "e-2"],
    ]);
    assert.match(String(logs.lines[0]?.["problems"]), /detail\.amount/);
    assert.equal(logs.lines.some((line) => line["level"] === "WARN"), false);
  });
});
