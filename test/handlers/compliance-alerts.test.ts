import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from "@aws-sdk/client-eventbridge";
import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from "@aws-sdk/client-sqs";
import { EventBridgeComplianceAlerts } from "../../adapters/eventbridge-compliance-alerts.ts";
import { complianceThresholds, type ExecutedOrder } from "../../domain/compliance.ts";
import { centsFromDecimal } from "../../domain/money.ts";
import { screenExecutedOrder } from "../../functions/compliance/screen-order.ts";
import { startLocalCloud, type LocalCloud } from "../../localcloud/cloud.ts";
import { synthesizeComplianceApp } from "./support/compliance-app.ts";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };

const order = (orderId: string, currency: "BRL" | "USD", amount: string): ExecutedOrder => ({
  orderId, userId: "1", correlationId: `corr-${orderId}`, ticker: currency === "BRL" ? "PETR4" : "AAPL", side: "BUY", quantity: 100,
  currency, amount: centsFromDecimal(amount), executedAt: "2026-12-02T12:00:00.000Z",
});

/** Receives and deletes every message on the queue now. */
async function drain(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (Messages.length === 0) return all;
    all.push(...Messages);
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
  }
}

describe("compliance alerts on the local cloud (the ComplianceAlerts construct deployed, a USD threshold of 25,000.00)", () => {
  const assembly = synthesizeComplianceApp({ usdThreshold: "25000.00" });
  const logs: string[] = [];
  let cloud: LocalCloud;
  let sqs: SQSClient;
  let events: EventBridgeClient;
  let outputs: Record<string, string>;
  let raise: (order: ExecutedOrder) => Promise<boolean>;

  /** The alert-log function's WARN lines for an order (the function runs asynchronously). */
  const alertLines = (orderId: string) =>
    logs.filter((line) => line.includes('"COMPLIANCE ALERT: large order executed"') && line.includes(`"orderId":"${orderId}"`)).map((line) => JSON.parse(line.slice(line.indexOf("{"))) as Record<string, unknown>);

  async function waitForAlertLine(orderId: string): Promise<Record<string, unknown>> {
    const deadline = Date.now() + 15_000;
    while (alertLines(orderId).length === 0) {
      if (Date.now() > deadline) assert.fail(`no alert line for ${orderId}; log:\n${logs.slice(-20).join("\n")}`);
      await new Promise((done) => setTimeout(done, 50));
    }
    return alertLines(orderId)[0] ?? {};
  }

  before(async () => {
    cloud = await startLocalCloud({ port: 0, dataDir: "", inMemory: true, log: (source, line) => logs.push(`${source} | ${line}`) });
    const [stack] = await cloud.deploy(assembly);
    outputs = { ...stack?.outputs };
    const config = { endpoint: cloud.endpoint, region: "us-east-1", credentials };
    sqs = new SQSClient(config);
    events = new EventBridgeClient(config);
    const alerts = new EventBridgeComplianceAlerts(String(outputs.BusName), events);
    const thresholds = complianceThresholds({ USD: String(outputs.UsdThreshold) });
    raise = (executed) => screenExecutedOrder(executed, alerts, thresholds);
  });

  after(async () => {
    sqs.destroy();
    events.destroy();
    await cloud.stop();
    rmSync(assembly, { recursive: true, force: true });
  });

  test("a large BRL order raises exactly one event: one message on the compliance queue and one alert log line", async () => {
    assert.equal(await raise(order("big-brl", "BRL", "150000.00")), true);

    const messages = await drain(sqs, String(outputs.QueueUrl));
    assert.equal(messages.length, 1);
    const event = JSON.parse(messages[0]?.Body ?? "{}") as Record<string, unknown>;
    assert.equal(event["source"], "brokerage.orders");
    assert.equal(event["detail-type"], "LargeOrderExecuted");
    assert.deepEqual(event["detail"], {
      orderId: "big-brl", userId: "1", correlationId: "corr-big-brl", ticker: "PETR4", side: "BUY", quantity: 100,
      currency: "BRL", amount: "150000.00", threshold: "100000.00", executedAt: "2026-12-02T12:00:00.000Z",
    });

    const line = await waitForAlertLine("big-brl");
    assert.equal(line["level"], "WARN");
    assert.equal(line["correlationId"], "corr-big-brl");
    assert.equal(line["eventId"], event["id"], "the log line is about the same event");
    assert.equal(alertLines("big-brl").length, 1);
  });

  test("an order at or below its threshold raises nothing", async () => {
    assert.equal(await raise(order("small-brl", "BRL", "100000.00")), false);
    assert.equal(await raise(order("small-usd", "USD", "25000.00")), false);
    // A large order raised after them is the only thing that arrives: the small ones were never sent.
    assert.equal(await raise(order("marker", "BRL", "100000.01")), true);
    const messages = await drain(sqs, String(outputs.QueueUrl));
    assert.deepEqual(messages.map((m) => (JSON.parse(m.Body ?? "{}") as { detail: { orderId: string } }).detail.orderId), ["marker"]);
    await waitForAlertLine("marker");
    assert.deepEqual([...alertLines("small-brl"), ...alertLines("small-usd")], []);
  });

  test("the USD threshold applies to USD orders: 30,000.00 USD is large, though far below 100,000.00", async () => {
    assert.equal(await raise(order("big-usd", "USD", "30000.00")), true);
    const [message, ...more] = await drain(sqs, String(outputs.QueueUrl));
    assert.deepEqual(more, []);
    const { detail } = JSON.parse(message?.Body ?? "{}") as { detail: Record<string, unknown> };
    assert.deepEqual([detail["currency"], detail["amount"], detail["threshold"]], ["USD", "30000.00", "25000.00"]);
    assert.equal((await waitForAlertLine("big-usd"))["currency"], "USD");
  });

  test("both targets deliver to the delivery DLQ if they fail; nothing was dead-lettered here", async () => {
    const { Rules = [] } = await events.send(new ListRulesCommand({ EventBusName: outputs.BusName }));
    assert.equal(Rules.length, 1);
    const { Targets = [] } = await events.send(new ListTargetsByRuleCommand({ EventBusName: outputs.BusName, Rule: Rules[0]?.Name }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: outputs.DeliveryDeadLetterQueueUrl, AttributeNames: ["QueueArn"] }));
    assert.deepEqual(Targets.map((target) => target.DeadLetterConfig?.Arn), [Attributes?.QueueArn, Attributes?.QueueArn]);
    assert.deepEqual(await drain(sqs, String(outputs.DeliveryDeadLetterQueueUrl)), []);
  });

  test("a bus that does not exist makes raising throw", async () => {
    const nowhere = new EventBridgeComplianceAlerts("no-such-bus", events);
    await assert.rejects(screenExecutedOrder(order("lost", "BRL", "200000.00"), nowhere, complianceThresholds()), {
      name: "ComplianceAlertNotAcceptedError",
      message: /order lost .*no-such-bus: InvalidArgument/,
    });
  });
});
