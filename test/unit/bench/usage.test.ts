import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readFileSync } from "node:fs";
import { PRICES_FILE, readPrices, renderUsage, shortName, usageReport } from "../../../bench/usage.ts";
import type { UsageSnapshot } from "../../../localcloud/metering/usage.ts";

const empty: UsageSnapshot = { takenAt: "t0", dynamodb: [], sqs: [], lambda: [], apigateway: [], inFlight: { lambdaInvocations: 0 } };

const after: UsageSnapshot = {
  takenAt: "t1",
  dynamodb: [
    { caller: "test", table: "Stack-OrdersA1B2C3D4-0123456789AB", operation: "TransactWriteItems", requests: 10, readUnits: 0, writeUnits: 40 },
    { caller: "bench", table: "Stack-OrdersA1B2C3D4-0123456789AB", operation: "Query", requests: 99, readUnits: 99, writeUnits: 0 },
  ],
  sqs: [
    { caller: "test", queue: "Stack-Q11111111-0123456789AB.fifo", fifo: true, action: "SendMessage", requests: 10, billedRequests: 10, messages: 10, emptyReceives: 0 },
    { caller: "bench", queue: "Stack-Q11111111-0123456789AB.fifo", fifo: true, action: "GetQueueAttributes", requests: 50, billedRequests: 50, messages: 0, emptyReceives: 0 },
  ],
  lambda: [{ functionName: "f", displayName: "f", memorySizeMb: 1024, architecture: "x86_64", invocations: 10, errors: 0, billedMs: 10_000, gbSeconds: 10 }],
  apigateway: [{ apiId: "a", stage: "prod", requests: 10 }],
  sns: [
    { caller: "test", topic: "Stack-OrderEvents11111111-0123456789AB", fifo: false, action: "Publish", requests: 10, messages: 10, billedRequests: 12 },
    { caller: "bench", topic: "Stack-OrderEvents11111111-0123456789AB", fifo: false, action: "Publish", requests: 5, messages: 5, billedRequests: 5 },
  ],
  eventbridge: [{ caller: "test", bus: "default", requests: 3, events: 3, billedEvents: 3 }],
  inFlight: { lambdaInvocations: 0 },
};

describe("bench usage report", () => {
  const prices = readPrices();
  const report = usageReport(empty, after, 10, prices, "bench");

  it("divides by the orders and leaves the bench's own calls out", () => {
    assert.deepEqual(report.perOrder, {
      dynamodbReadUnits: 0,
      dynamodbWriteUnits: 4,
      dynamodbRequests: 1,
      sqsRequests: 1,
      sqsEmptyReceives: 0,
      lambdaInvocations: 1,
      lambdaGbSeconds: 1,
      apiRequests: 1,
      snsRequests: 1.2,
      eventBridgeEvents: 0.3,
    });
  });

  it("prices each service per million orders from the prices file", () => {
    const c = report.costPerMillionOrders;
    assert.ok(Math.abs(c.dynamodb - 4 * prices.dynamodb.writeRequestUnitPerMillion) < 1e-9);
    assert.ok(Math.abs(c.sqs - prices.sqs.fifoRequestPerMillion) < 1e-9);
    assert.ok(Math.abs(c.lambda - (prices.lambda.requestPerMillion + 1e6 * (prices.lambda.gbSecond["x86_64"] ?? 0))) < 1e-9);
    assert.ok(Math.abs(c.apigateway - prices.apigateway.restRequestPerMillion) < 1e-9);
    assert.ok(Math.abs(c.sns - 1.2 * prices.sns.standardPublishRequestPerMillion) < 1e-9, "billed chunks at the standard topic's rate");
    assert.ok(Math.abs(c.eventbridge - 0.3 * prices.eventbridge.customEventPerMillion) < 1e-9);
    assert.ok(Math.abs(c.total - (c.dynamodb + c.sqs + c.lambda + c.apigateway + c.sns + c.eventbridge)) < 1e-9);
  });

  it("prices a FIFO topic's publishes at the FIFO rate", () => {
    const fifo: UsageSnapshot = { ...empty, sns: [{ caller: "test", topic: "t.fifo", fifo: true, action: "PublishBatch", requests: 1, messages: 10, billedRequests: 10 }] };
    assert.ok(Math.abs(usageReport(empty, fifo, 10, prices, "bench").costPerMillionOrders.sns - prices.sns.fifoPublishRequestPerMillion) < 1e-9);
  });

  it("shows SNS and EventBridge in the report", () => {
    const text = renderUsage(report).join("\n");
    assert.match(text, /\| SNS requests \| EventBridge events \|/);
    assert.match(text, /SNS \$\d+\.\d\d, EventBridge \$\d+\.\d\d\./);
    assert.match(text, /\| SNS \| Stack-OrderEvents Publish \(1\.00 messages; deliveries to SQS and Lambda free\) \| 1\.20 \| requests \|/);
    assert.match(text, /\| EventBridge \| default bus PutEvents \(0\.30 events in 0\.30 calls\) \| 0\.30 \| custom events \|/);
  });

  it("reads snapshots from before SNS and EventBridge were metered", () => {
    const { sns: _sns, eventbridge: _events, ...old } = after;
    const report = usageReport(empty, old, 10, prices, "bench");
    assert.equal(report.perOrder.snsRequests, 0);
    assert.equal(report.costPerMillionOrders.eventbridge, 0);
  });

  it("names a public source for the SNS and EventBridge prices", () => {
    const raw = JSON.parse(readFileSync(PRICES_FILE, "utf8")) as Record<string, { sources?: string[] }>;
    assert.ok(raw.sns?.sources?.includes("https://aws.amazon.com/sns/pricing/"));
    assert.ok(raw.eventbridge?.sources?.includes("https://aws.amazon.com/eventbridge/pricing/"));
  });

  it("says when metering is unavailable", () => {
    assert.match(renderUsage({ available: false, reason: "no meter" }).join("\n"), /Metering unavailable: no meter/);
  });

  it("shortens CloudFormation physical names", () => {
    assert.equal(shortName("Stack-OrdersA1B2C3D4-0123456789AB"), "Stack-Orders");
    assert.equal(shortName("Stack-Q11111111-0123456789AB.fifo"), "Stack-Q.fifo");
  });
});
