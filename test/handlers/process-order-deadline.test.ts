import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { seedDemoUsers } from "../../scripts/seed-users.ts";
import { startYahooStub, yahooEquity, type StubListing, type YahooStub } from "../support/yahoo-stub.ts";
import { lambdaContext, lambdaContextWithin, sqsEvent } from "./support/events.ts";
import { orderOf, outcomesIn, placeOrder, type ApiHandler, type SqsHandler } from "./support/flow.ts";
import { captureLogs, type CapturedLogs } from "./support/logs.ts";
import { startTestCloud, type TestCloud } from "./support/test-cloud.ts";

const MARKET_TIME = Math.floor(Date.now() / 1000);
const listing = (symbol: string, price: number, exchange: StubListing["exchange"]): [string, Record<string, unknown>] => [
  symbol,
  yahooEquity({ symbol, price, currency: exchange === "SAO" ? "BRL" : "USD", time: MARKET_TIME, exchange, shortName: symbol }),
];

/**
 * process-order on Yahoo, with Lambda's remaining time: a batch whose prices come slowly
 * takes orders only while one more fits, and gives the rest back untouched.
 */
describe("process-order against its invocation's deadline", () => {
  let stub: YahooStub;
  let cloud: TestCloud;
  let validate: ApiHandler;
  let processOrder: SqsHandler;
  let logs: CapturedLogs;
  const realFetch = globalThis.fetch;

  before(async () => {
    stub = await startYahooStub(
      Object.fromEntries([
        listing("BBAS3.SA", 27.45, "SAO"),
        listing("PETR4.SA", 40.55, "SAO"),
        listing("VALE3.SA", 61.2, "SAO"),
        listing("ITUB4.SA", 34.8, "SAO"),
        listing("AAPL", 227.48, "NMS"),
        listing("MSFT", 415.1, "NMS"),
        listing("NVDA", 131.2, "NMS"),
      ]),
    );
    // The handler's yahoo-finance2 client uses the global fetch; here it reaches the stub.
    globalThis.fetch = stub.fetch;
    cloud = await startTestCloud({ PRICE_SOURCE: "yahoo", PRICE_TIMEOUT_MS: "3000", QUOTE_MAX_AGE_SECONDS: "900" });
    await seedDemoUsers({ usersTable: cloud.tables.users, client: cloud.db, cipher: cloud.cipher });
    logs = captureLogs();
    validate = ((await import("../../functions/validate-order.ts")) as unknown as { handler: ApiHandler }).handler;
    processOrder = ((await import("../../functions/process-order.ts")) as unknown as { handler: SqsHandler }).handler;
    // A warm instance: the client is loaded and holds Yahoo's cookie and crumb.
    const warm = await placeOrder(cloud, validate, { userId: "1", ticker: "BBAS3", quantity: 1 });
    assert.deepEqual((await processOrder(sqsEvent(warm.record), lambdaContext())).batchItemFailures, []);
  });
  after(async () => {
    globalThis.fetch = realFetch;
    logs?.stop();
    await cloud?.stop();
    await stub?.close();
  });

  const linesAbout = (orderId: string) => logs.lines.filter((line) => line.orderId === orderId);

  test("with too little time for one price call, no order is touched and every record goes back without a retry delay", async () => {
    stub.quoteDelayMs = 0;
    const placed = [
      await placeOrder(cloud, validate, { userId: "1", ticker: "PETR4", quantity: 1 }),
      await placeOrder(cloud, validate, { userId: "2", ticker: "AAPL", quantity: 1 }),
      await placeOrder(cloud, validate, { userId: "1", ticker: "VALE3", quantity: 1 }),
    ];
    cloud.invocations.length = 0;
    cloud.requests.length = 0;
    const quotesBefore = stub.quotedSymbols().length;
    // Less than one price call's cap plus the fill and the consolidation invoke.
    const result = await processOrder(sqsEvent(...placed.map((p) => p.record)), lambdaContextWithin(2_000));

    assert.deepEqual(result.batchItemFailures.map((f) => f.itemIdentifier), placed.map((p) => p.record.messageId));
    for (const { orderId } of placed) assert.equal((await orderOf(cloud, orderId)).status, "ACCEPTED");
    assert.equal(stub.quotedSymbols().length, quotesBefore, "Yahoo is not asked");
    assert.equal(cloud.invocations.length, 0, "nothing to consolidate");
    assert.equal(cloud.requests.filter((r) => r.operation === "SQS.ChangeMessageVisibility").length, 0, "no backoff: it is not the order's failure");
    for (const { orderId } of placed) {
      const lines = linesAbout(orderId);
      assert.ok(lines.some((l) => l.level === "INFO" && String(l.message).includes("goes back to the queue")), `order ${orderId} is logged as given back`);
      assert.ok(!lines.some((l) => l.level === "WARN" || l.level === "ERROR"), `order ${orderId} is not logged as failed`);
    }
  });

  test("a batch of slow prices fills what fits before the deadline, gives the rest back, and the next invocation completes them", async () => {
    const placed = [
      await placeOrder(cloud, validate, { userId: "1", ticker: "PETR4", quantity: 2 }),
      await placeOrder(cloud, validate, { userId: "2", ticker: "AAPL", quantity: 2 }),
      await placeOrder(cloud, validate, { userId: "3", ticker: "VALE3", quantity: 2 }),
      await placeOrder(cloud, validate, { userId: "1", ticker: "MSFT", quantity: 2 }),
      await placeOrder(cloud, validate, { userId: "2", ticker: "ITUB4", quantity: 2 }),
      await placeOrder(cloud, validate, { userId: "3", ticker: "NVDA", quantity: 2 }),
    ];
    // Six distinct tickers at 1.5 s each need 9 s; the invocation has 7 s, of which 4.5 s are
    // kept back for one price call at its 3 s cap and the work after it: one or two orders fit.
    stub.quoteDelayMs = 1_500;
    cloud.invocations.length = 0;
    const context = lambdaContextWithin(7_000);
    const first = await processOrder(sqsEvent(...placed.map((p) => p.record)), context);
    assert.ok(context.getRemainingTimeInMillis() > 0, "the handler returned before its timeout");

    const returned = first.batchItemFailures.map((f) => f.itemIdentifier);
    assert.ok(returned.length > 0 && returned.length < placed.length, `some orders taken, some given back (${returned.length} of ${placed.length} given back)`);
    const taken = placed.slice(0, placed.length - returned.length);
    const givenBack = placed.slice(placed.length - returned.length);
    assert.deepEqual(returned, givenBack.map((p) => p.record.messageId), "the orders not taken are the batch's last, in queue order");
    for (const { orderId } of taken) assert.equal((await orderOf(cloud, orderId)).status, "FILLED");
    for (const { orderId } of givenBack) {
      assert.equal((await orderOf(cloud, orderId)).status, "ACCEPTED", "untouched, not rejected");
      assert.ok(linesAbout(orderId).some((l) => l.level === "INFO" && String(l.message).includes("goes back to the queue")));
    }
    const consolidated = cloud.invocations.flatMap((i) => outcomesIn(i.payload).map((o) => o.orderId));
    assert.deepEqual(consolidated, taken.map((p) => p.orderId), "the taken orders are consolidated");

    // SQS delivers the returned records again, to an invocation with its full time.
    const again = await processOrder(sqsEvent(...givenBack.map((p) => p.record)), lambdaContext());
    assert.deepEqual(again.batchItemFailures, []);
    for (const { orderId } of placed) {
      assert.equal((await orderOf(cloud, orderId)).status, "FILLED");
      assert.ok(!linesAbout(orderId).some((l) => l.level === "WARN" || l.level === "ERROR"), `order ${orderId} never failed`);
    }
  });
});
