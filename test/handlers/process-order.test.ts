import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { multiplyToCents } from "../../domain/money.ts";
import { seedDemoUsers } from "../../scripts/seed-users.ts";
import { lambdaContext, sqsEvent, sqsRecord } from "./support/events.ts";
import { invocationsFor, invokedOutcome, orderOf, placeOrder, positionOf, profileOf, type ApiHandler, type SqsHandler } from "./support/flow.ts";
import { captureLogs, type CapturedLogs } from "./support/logs.ts";
import { startTestCloud, type TestCloud } from "./support/test-cloud.ts";

describe("process-order on the simulated market", () => {
  let cloud: TestCloud;
  let validate: ApiHandler;
  let processOrder: SqsHandler;
  let logs: CapturedLogs;

  before(async () => {
    cloud = await startTestCloud({ PRICE_SOURCE: "simulated", SIMULATED_MARKET_SEED: "handler-tests", SIMULATED_MARKET_FAILURE_RATE: "0" });
    await seedDemoUsers({ usersTable: cloud.tables.users, client: cloud.db, cipher: cloud.cipher });
    logs = captureLogs();
    validate = ((await import("../../functions/validate-order.ts")) as unknown as { handler: ApiHandler }).handler;
    processOrder = ((await import("../../functions/process-order.ts")) as unknown as { handler: SqsHandler }).handler;
  });
  after(async () => {
    logs?.stop();
    await cloud?.stop();
  });

  test("a BUY fills: cash and position move by exactly quantity × price, and consolidation is invoked", async () => {
    const cashBefore = (await profileOf(cloud, "1")).cash.BRL;
    const { orderId, record } = await placeOrder(cloud, validate, { userId: "1", ticker: "PETR4", quantity: 10 });
    const result = await processOrder(sqsEvent(record), lambdaContext());
    assert.deepEqual(result.batchItemFailures, []);

    const order = await orderOf(cloud, orderId);
    assert.equal(order.status, "FILLED");
    assert.ok(order.fill);
    assert.equal(order.fill.quoteSource, "simulated");
    assert.equal(order.fill.amount, multiplyToCents(10, order.fill.price));
    assert.equal((await profileOf(cloud, "1")).cash.BRL, cashBefore - order.fill.amount);
    assert.deepEqual(await positionOf(cloud, "1", "PETR4"), { pk: "USER#1", sk: "POSITION#PETR4", ticker: "PETR4", currency: "BRL", quantity: 10, costBasis: order.fill.amount });

    const [invoke] = invocationsFor(cloud, orderId);
    assert.equal(invoke?.functionName, "consolidate-portfolio");
    assert.equal(invokedOutcome(cloud, orderId)?.status, "FILLED");
    const filledLog = logs.lines.find((l) => l.message === "order filled" && l.orderId === orderId);
    assert.ok(filledLog?.correlationId, "log lines carry the correlation id");
  });

  test("the same SQS record delivered twice fills once", async () => {
    const cashBefore = (await profileOf(cloud, "2")).cash.USD;
    const { orderId, record } = await placeOrder(cloud, validate, { userId: "2", ticker: "AAPL", quantity: 2 });
    const [first, second] = await Promise.all([processOrder(sqsEvent(record), lambdaContext()), processOrder(sqsEvent(record), lambdaContext())]);
    const third = await processOrder(sqsEvent(record), lambdaContext());
    for (const result of [first, second, third]) assert.deepEqual(result?.batchItemFailures, []);

    const order = await orderOf(cloud, orderId);
    assert.equal((await profileOf(cloud, "2")).cash.USD, cashBefore - (order.fill?.amount ?? Number.NaN));
    assert.equal((await positionOf(cloud, "2", "AAPL"))?.quantity, 2);
    const { Items = [] } = await cloud.db.send(
      new QueryCommand({ TableName: cloud.tables.transactions, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": `ORDER#${orderId}` } }),
    );
    assert.deepEqual(Items.map((i) => i.sk).sort(), ["EVENT#001", "EVENT#002", "ORDER", "TRADE"]);
  });

  test("a SELL credits cash and keeps the average cost of what is left", async () => {
    const bought = await placeOrder(cloud, validate, { userId: "3", ticker: "VALE3", quantity: 4 });
    await processOrder(sqsEvent(bought.record), lambdaContext());
    const afterBuy = await profileOf(cloud, "3");
    const cost = (await positionOf(cloud, "3", "VALE3"))?.costBasis ?? 0;

    const sold = await placeOrder(cloud, validate, { userId: "3", ticker: "VALE3", quantity: 1, side: "SELL" });
    assert.deepEqual((await processOrder(sqsEvent(sold.record), lambdaContext())).batchItemFailures, []);
    const sale = await orderOf(cloud, sold.orderId);
    assert.equal(sale.status, "FILLED");
    assert.equal((await profileOf(cloud, "3")).cash.BRL, afterBuy.cash.BRL + (sale.fill?.amount ?? 0));
    const position = await positionOf(cloud, "3", "VALE3");
    assert.equal(position?.quantity, 3);
    assert.equal(position?.costBasis, cost - cost / 4);
  });

  const rejections: [string, { userId: string; ticker: string; quantity: number; side?: "BUY" | "SELL" }, string][] = [
    ["a BUY beyond the cash is INSUFFICIENT_FUNDS", { userId: "1", ticker: "AAPL", quantity: 1_000_000 }, "INSUFFICIENT_FUNDS"],
    ["a SELL of shares not held is INSUFFICIENT_SHARES", { userId: "1", ticker: "ITUB4", quantity: 5, side: "SELL" }, "INSUFFICIENT_SHARES"],
    ["a ticker no market lists is UNKNOWN_TICKER", { userId: "1", ticker: "XPTO3", quantity: 1 }, "UNKNOWN_TICKER"],
  ];
  for (const [what, request, reason] of rejections) {
    test(`${what}, not retried, nothing moves`, async () => {
      const before = await profileOf(cloud, "1");
      const { orderId, record } = await placeOrder(cloud, validate, request);
      const result = await processOrder(sqsEvent(record), lambdaContext());
      assert.deepEqual(result.batchItemFailures, [], "a permanent rejection is not retried");
      const order = await orderOf(cloud, orderId);
      assert.equal(order.status, "REJECTED");
      assert.equal(order.reason, reason);
      assert.deepEqual((await profileOf(cloud, "1")).cash, before.cash);
      assert.equal(invokedOutcome(cloud, orderId)?.reason, reason, "consolidation hears about rejections too");
    });
  }

  test("a malformed message is dropped without failing the batch", async () => {
    const result = await processOrder(sqsEvent(sqsRecord("not json", { groupId: "1" }), sqsRecord('{"orderId": 5}', { groupId: "2" })), lambdaContext());
    assert.deepEqual(result.batchItemFailures, []);
    assert.ok(logs.lines.some((l) => l.message === "malformed order message dropped"));
  });
});
