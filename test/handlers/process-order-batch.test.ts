import { QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { proportionOfCents } from "../../domain/money.ts";
import { seedDemoUsers } from "../../scripts/seed-users.ts";
import { lambdaContext, sqsEvent } from "./support/events.ts";
import { orderOf, outcomesIn, placeOrder, positionOf, profileOf, type ApiHandler, type SqsHandler } from "./support/flow.ts";
import { captureLogs, type CapturedLogs } from "./support/logs.ts";
import { startTestCloud, type TestCloud } from "./support/test-cloud.ts";

type Request = { userId: string; ticker: string; quantity: number; side?: "BUY" | "SELL" };

/** What process-order does once per batch rather than once per order. */
describe("process-order, a batch at a time", () => {
  let cloud: TestCloud;
  let validate: ApiHandler;
  let processOrder: SqsHandler;
  let logs: CapturedLogs;

  before(async () => {
    cloud = await startTestCloud({ PRICE_SOURCE: "simulated", SIMULATED_MARKET_SEED: "batch-tests", SIMULATED_MARKET_FAILURE_RATE: "0" });
    await seedDemoUsers({ usersTable: cloud.tables.users, client: cloud.db, cipher: cloud.cipher });
    logs = captureLogs();
    validate = ((await import("../../functions/validate-order.ts")) as unknown as { handler: ApiHandler }).handler;
    processOrder = ((await import("../../functions/process-order.ts")) as unknown as { handler: SqsHandler }).handler;
  });
  after(async () => {
    logs?.stop();
    await cloud?.stop();
  });

  /** Places the orders, then hands all their messages to process-order as one batch; counts what the batch did. */
  const runBatch = async (requests: Request[]) => {
    const placed = [];
    for (const request of requests) placed.push(await placeOrder(cloud, validate, request));
    cloud.invocations.length = 0;
    cloud.requests.length = 0;
    const result = await processOrder(sqsEvent(...placed.map((p) => p.record)), lambdaContext());
    const made = [...cloud.requests];
    const count = (operation: string, table?: string) => made.filter((r) => r.operation === operation && (!table || r.tables.includes(table))).length;
    return { placed, result, invocations: [...cloud.invocations], count };
  };
  const historyOf = async (ticker: string) => {
    const { Items = [] } = await cloud.db.send(
      new QueryCommand({ TableName: cloud.tables.quotes, KeyConditionExpression: "pk = :pk AND begins_with(sk, :h)", ExpressionAttributeValues: { ":pk": `QUOTE#${ticker}`, ":h": "HISTORY#" } }),
    );
    return Items;
  };

  test("three orders of one user and two of another: one consolidate invoke carrying all 5 outcomes in queue order", async () => {
    const { placed, result, invocations, count } = await runBatch([
      { userId: "1", ticker: "PETR4", quantity: 1 },
      { userId: "2", ticker: "AAPL", quantity: 1 },
      { userId: "1", ticker: "VALE3", quantity: 1_000_000 },
      { userId: "1", ticker: "PETR4", quantity: 2 },
      { userId: "2", ticker: "MSFT", quantity: 1 },
    ]);
    assert.deepEqual(result.batchItemFailures, []);
    assert.equal(invocations.length, 1, "one invoke per batch");
    assert.equal(count("Lambda.Invoke"), 1);
    assert.equal(invocations[0]?.functionName, "consolidate-portfolio");
    const outcomes = outcomesIn(invocations[0]?.payload);
    const ids = placed.map((p) => p.orderId);
    assert.deepEqual(outcomes.map((o) => o.orderId), ids);
    assert.deepEqual(outcomes.map((o) => o.userId), ["1", "2", "1", "1", "2"]);
    assert.deepEqual(outcomes.map((o) => o.status), ["FILLED", "FILLED", "REJECTED", "FILLED", "FILLED"], "a rejection is handed on with the fills");
    assert.equal(outcomes[2]?.reason, "INSUFFICIENT_FUNDS");
    for (const id of ids) assert.notEqual((await orderOf(cloud, id)).status, "ACCEPTED", "every order was decided before the batch returned");
    assert.equal(count("DynamoDB.GetItem", cloud.tables.transactions), 0, "no order read one by one");
    assert.equal(count("DynamoDB.BatchGetItem", cloud.tables.transactions), 1, "the batch's orders read together");
  });

  test("several orders on one ticker: priced once, the quote recorded once, every fill at that quote", async () => {
    const historyBefore = (await historyOf("ITUB4")).length;
    const { placed, result, count } = await runBatch([
      { userId: "1", ticker: "ITUB4", quantity: 1 },
      { userId: "2", ticker: "ITUB4", quantity: 2 },
      { userId: "3", ticker: "ITUB4", quantity: 3 },
      { userId: "1", ticker: "ITUB4", quantity: 4 },
    ]);
    assert.deepEqual(result.batchItemFailures, []);
    const fills = await Promise.all(placed.map(async (p) => (await orderOf(cloud, p.orderId)).fill as { price: number; quoteAsOf: string } | undefined));
    assert.ok(fills.every((f) => f !== undefined), "all four filled");
    assert.equal(new Set(fills.map((f) => `${f?.price}@${f?.quoteAsOf}`)).size, 1, "one quote for the whole batch");
    assert.equal((await historyOf("ITUB4")).length, historyBefore + 1, "one history item");
    assert.equal(count("DynamoDB.PutItem", cloud.tables.quotes), 1, "LATEST written once");
    assert.equal(count("DynamoDB.BatchWriteItem", cloud.tables.quotes), 1, "the history in one request");
    assert.equal(logs.lines.filter((l) => l.message === "price obtained" && placed.some((p) => p.orderId === l.orderId)).length, 4, "each order still logs its price");
  });

  test("a record that fails does not cost the other records their outcomes", async () => {
    const good1 = await placeOrder(cloud, validate, { userId: "1", ticker: "BBAS3", quantity: 1 });
    const broken = await placeOrder(cloud, validate, { userId: "3", ticker: "BBAS3", quantity: 1 });
    const good2 = await placeOrder(cloud, validate, { userId: "2", ticker: "NVDA", quantity: 1 });
    // An order item that cannot be read back: processing it throws, as a transient failure does.
    await cloud.db.send(
      new UpdateCommand({ TableName: cloud.tables.transactions, Key: { pk: `ORDER#${broken.orderId}`, sk: "ORDER" }, UpdateExpression: "SET currency = :x", ExpressionAttributeValues: { ":x": "XXX" } }),
    );
    cloud.invocations.length = 0;
    const result = await processOrder(sqsEvent(good1.record, broken.record, good2.record), lambdaContext());
    assert.deepEqual(result.batchItemFailures, [{ itemIdentifier: broken.record.messageId }], "only the broken record is retried");
    const invoked = cloud.invocations.flatMap((i) => outcomesIn(i.payload).map((o) => o.orderId));
    assert.deepEqual(invoked.sort(), [good1.orderId, good2.orderId].sort(), "both decided outcomes still go to consolidation");
    assert.equal((await orderOf(cloud, good1.orderId)).status, "FILLED");
    assert.equal((await orderOf(cloud, good2.orderId)).status, "FILLED");
  });

  test("a user's account is read once per batch, and buys and sells within it move the ledger as one at a time would", async () => {
    const before = await profileOf(cloud, "3");
    const { placed, result, count } = await runBatch([
      { userId: "3", ticker: "WEGE3", quantity: 5 },
      { userId: "2", ticker: "ABEV3", quantity: 1 },
      { userId: "3", ticker: "WEGE3", quantity: 2, side: "SELL" },
      { userId: "3", ticker: "WEGE3", quantity: 1 },
    ]);
    assert.deepEqual(result.batchItemFailures, []);
    assert.equal(count("DynamoDB.Query", cloud.tables.users), 2, "one account read per user");
    const [buy, , sell, buyAgain] = await Promise.all(placed.map((p) => orderOf(cloud, p.orderId)));
    assert.deepEqual([buy?.status, sell?.status, buyAgain?.status], ["FILLED", "FILLED", "FILLED"], "the sale sees the shares bought earlier in the batch");
    const [a1, a2, a3] = [buy?.fill?.amount ?? Number.NaN, sell?.fill?.amount ?? Number.NaN, buyAgain?.fill?.amount ?? Number.NaN];
    const position = await positionOf(cloud, "3", "WEGE3");
    assert.equal(position?.quantity, 4);
    assert.equal(position?.costBasis, a1 - proportionOfCents(a1, 2, 5) + a3, "average cost kept through the sale");
    assert.equal((await profileOf(cloud, "3")).cash.BRL, before.cash.BRL - a1 + a2 - a3);
  });

  test("the consolidate invoke carries each user's account as the batch left it, equal to the table's", async () => {
    const { invocations } = await runBatch([
      { userId: "2", ticker: "BBDC4", quantity: 3 },
      { userId: "3", ticker: "BBDC4", quantity: 2 },
      { userId: "2", ticker: "BBDC4", quantity: 1, side: "SELL" },
    ]);
    const payload = invocations[0]?.payload as { accounts?: Record<string, { name: string; tradeVersion: number; positions: { ticker: string; quantity: number; costBasis: number }[] }> };
    assert.deepEqual(Object.keys(payload.accounts ?? {}).sort(), ["2", "3"]);
    for (const userId of ["2", "3"]) {
      const carried = payload.accounts?.[userId];
      const profile = (await profileOf(cloud, userId)) as { name: string; tradeVersion?: number };
      assert.equal(carried?.name, profile.name);
      assert.equal(carried?.tradeVersion, profile.tradeVersion, `user ${userId}: the trade version after the batch's fills`);
      const held = carried?.positions.find((p) => p.ticker === "BBDC4");
      const stored = await positionOf(cloud, userId, "BBDC4");
      assert.deepEqual([held?.quantity, held?.costBasis], [stored?.quantity, stored?.costBasis], `user ${userId}: the BBDC4 position as stored`);
    }
  });

  test("a rejection decided on the batch's own copy of the account is checked against the table first", async () => {
    const cash = (await profileOf(cloud, "1")).cash.BRL;
    // Each buy costs about 60 % of the cash: the first fills, the second cannot.
    const quantity = Math.floor((cash * 0.6) / 100 / 128.7);
    const { placed, result, count } = await runBatch([
      { userId: "1", ticker: "BOVA11", quantity },
      { userId: "1", ticker: "BOVA11", quantity },
    ]);
    assert.deepEqual(result.batchItemFailures, []);
    const [first, second] = await Promise.all(placed.map((p) => orderOf(cloud, p.orderId)));
    assert.equal(first?.status, "FILLED");
    assert.deepEqual([second?.status, second?.reason], ["REJECTED", "INSUFFICIENT_FUNDS"]);
    assert.equal(count("DynamoDB.Query", cloud.tables.users), 2, "read once, and again before rejecting");
    assert.equal((await profileOf(cloud, "1")).cash.BRL, cash - (first?.fill?.amount ?? Number.NaN));
  });
});
