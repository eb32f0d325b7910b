import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readPrices, renderUsage, shortName, usageReport } from "../../../bench/usage.ts";
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
    });
  });

  it("prices each service per million orders from the prices file", () => {
    const c = report.costPerMillionOrders;
    assert.ok(Math.abs(c.dynamodb - 4 * prices.dynamodb.writeRequestUnitPerMillion) < 1e-9);
    assert.ok(Math.abs(c.sqs - prices.sqs.fifoRequestPerMillion) < 1e-9);
    assert.ok(Math.abs(c.lambda - (prices.lambda.requestPerMillion + 1e6 * (prices.lambda.gbSecond["x86_64"] ?? 0))) < 1e-9);
    assert.ok(Math.abs(c.apigateway - prices.apigateway.restRequestPerMillion) < 1e-9);
    assert.ok(Math.abs(c.total - (c.dynamodb + c.sqs + c.lambda + c.apigateway)) < 1e-9);
  });

  it("says when metering is unavailable", () => {
    assert.match(renderUsage({ available: false, reason: "no meter" }).join("\n"), /Metering unavailable: no meter/);
  });

  it("shortens CloudFormation physical names", () => {
    assert.equal(shortName("Stack-OrdersA1B2C3D4-0123456789AB"), "Stack-Orders");
    assert.equal(shortName("Stack-Q11111111-0123456789AB.fifo"), "Stack-Q.fifo");
  });
});
