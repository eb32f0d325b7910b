import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { formatCents } from "../../domain/money.ts";
import { emptyTotals } from "../../domain/valuation.ts";
import { DynamoUserStore } from "../../adapters/dynamo-user-store.ts";
import { seedDemoUsers } from "../../scripts/seed-users.ts";
import { apiEvent, lambdaContext, sqsEvent, sqsRecord } from "./support/events.ts";
import { invocationsFor, orderOf, placeOrder, profileOf, type ApiHandler, type SqsHandler } from "./support/flow.ts";
import { captureLogs, type CapturedLogs } from "./support/logs.ts";
import { startTestCloud, type TestCloud } from "./support/test-cloud.ts";

type AsyncHandler = (event: unknown, context: unknown) => Promise<unknown>;
const load = async <T>(name: string) => ((await import(`../../functions/${name}.ts`)) as { handler: T }).handler;

/** The demo, one handler after another: buy, consolidate, notify, read. */
describe("order to notification to read model", () => {
  let cloud: TestCloud;
  let logs: CapturedLogs;
  let validate: ApiHandler, processOrder: SqsHandler, consolidate: AsyncHandler, sendPush: SqsHandler, sendEmail: SqsHandler, query: ApiHandler;
  let orderId = "";

  before(async () => {
    cloud = await startTestCloud({ SIMULATED_MARKET_SEED: "pipeline" });
    await seedDemoUsers({ usersTable: cloud.tables.users, client: cloud.db, cipher: cloud.cipher });
    logs = captureLogs();
    [validate, processOrder, consolidate, sendPush, sendEmail, query] = [
      await load<ApiHandler>("validate-order"),
      await load<SqsHandler>("process-order"),
      await load<AsyncHandler>("consolidate-portfolio"),
      await load<SqsHandler>("send-push"),
      await load<SqsHandler>("send-email"),
      await load<ApiHandler>("query-api"),
    ];
  });
  after(async () => {
    logs?.stop();
    await cloud?.stop();
  });

  const get = async (resource: string, pathParameters: Record<string, string>, query?: Record<string, string>) => {
    const response = await queryApi(resource, pathParameters, query);
    return { status: response.statusCode, body: JSON.parse(response.body) as Record<string, any> };
  };
  const queryApi = (resource: string, pathParameters: Record<string, string>, q?: Record<string, string>) =>
    query(apiEvent({ resource, pathParameters, caller: pathParameters.userId ?? "1", ...(q ? { query: q } : {}) }), lambdaContext());
  const receive = async (queueUrl: string) => {
    const { Messages = [] } = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    return Messages;
  };

  test("a fresh user is worth 0.00 and holds the seeded cash", async () => {
    const { status, body } = await get("/users/{userId}", { userId: "1" });
    assert.equal(status, 200);
    assert.deepEqual(body.cash, { BRL: "100000.00", USD: "100000.00" });
    assert.deepEqual(body.portfolioValue, { BRL: "0.00", USD: "0.00" });
    assert.deepEqual(body.positions, []);
    assert.equal(body.valuedAt, null);
  });

  test("buying 10 PETR4 revalues the portfolio and queues one push and one e-mail", async () => {
    const placed = await placeOrder(cloud, validate, { userId: "1", ticker: "PETR4", quantity: 10 });
    orderId = placed.orderId;
    await processOrder(sqsEvent(placed.record), lambdaContext());
    const [invocation] = invocationsFor(cloud, orderId);
    assert.ok(invocation);
    await consolidate(invocation.payload, lambdaContext());

    const fill = (await orderOf(cloud, orderId)).fill;
    const expected = formatCents(fill?.amount ?? Number.NaN);
    assert.equal((await profileOf(cloud, "1")).valuation?.totals.BRL?.marketValue, fill?.amount);
    const [push] = await receive(cloud.queues.push);
    const [email] = await receive(cloud.queues.email);
    for (const message of [push, email]) {
      const body = JSON.parse(message?.Body ?? "{}") as Record<string, any>;
      assert.equal(body.orderId, orderId);
      assert.equal(body.status, "FILLED");
      assert.equal(body.portfolioValue.BRL, expected);
      assert.equal(body.amount, expected);
    }

    const pushResult = await sendPush(sqsEvent(sqsRecord(push?.Body ?? ""), sqsRecord("{broken", { messageId: "bad-push" })), lambdaContext());
    assert.deepEqual(pushResult.batchItemFailures, [{ itemIdentifier: "bad-push" }], "only the malformed message fails");
    const emailResult = await sendEmail(sqsEvent(sqsRecord(email?.Body ?? "")), lambdaContext());
    assert.deepEqual(emailResult.batchItemFailures, []);

    const pushed = logs.lines.find((l) => l.message === "push delivered" && l.orderId === orderId);
    const mailed = logs.lines.find((l) => l.message === "email delivered" && l.orderId === orderId);
    assert.ok(pushed && mailed);
    assert.match(String(pushed.body), new RegExp(`Bought 10 PETR4 .*total BRL ${expected.replace(".", "\\.")}`));
    assert.equal(mailed.to, undefined);
    assert.doesNotMatch(JSON.stringify(logs.lines), /ana\.souza@example\.com/, "the address is in no log line");
    const correlationIds = logs.lines.filter((l) => l.orderId === orderId).map((l) => l.correlationId);
    assert.equal(new Set(correlationIds).size, 1, "one correlation id follows the order through every function");
  });

  test("GET /users/1 then shows the position and the new portfolio value", async () => {
    const { body } = await get("/users/{userId}", { userId: "1" });
    const fill = (await orderOf(cloud, orderId)).fill;
    assert.equal(body.portfolioValue.BRL, formatCents(fill?.amount ?? 0));
    assert.equal(body.cash.BRL, formatCents(10_000_000 - (fill?.amount ?? 0)));
    assert.equal(body.positions.length, 1);
    assert.deepEqual(
      { ticker: body.positions[0].ticker, quantity: body.positions[0].quantity, source: body.positions[0].source, marketValue: body.positions[0].marketValue },
      { ticker: "PETR4", quantity: 10, source: "simulated", marketValue: formatCents(fill?.amount ?? 0) },
    );
    assert.ok(body.valuedAt);
  });

  test("GET /orders/{id} shows the status history; GET /quotes/PETR4 the latest quote", async () => {
    const { status, body } = await get("/orders/{orderId}", { orderId });
    assert.equal(status, 200);
    assert.equal(body.status, "FILLED");
    assert.deepEqual(body.history.map((e: { status: string }) => e.status), ["ACCEPTED", "FILLED"]);
    assert.equal(body.history[1].amount, body.amount);
    const quote = await get("/quotes/{ticker}", { ticker: "PETR4" });
    assert.deepEqual([quote.status, quote.body.source, quote.body.currency, quote.body.symbol], [200, "simulated", "BRL", "PETR4.SA"]);
    assert.equal(quote.body.price, body.price);
  });

  test("unknown ids are 404 and bad parameters 400, with the error body", async () => {
    const cases: [string, Record<string, string>, Record<string, string> | undefined, number, string][] = [
      ["/users/{userId}", { userId: "999" }, undefined, 404, "USER_NOT_FOUND"],
      ["/users/{userId}/transactions", { userId: "999" }, undefined, 404, "USER_NOT_FOUND"],
      ["/orders/{orderId}", { orderId: "no-such-order" }, undefined, 404, "ORDER_NOT_FOUND"],
      ["/quotes/{ticker}", { ticker: "MSFT" }, undefined, 404, "QUOTE_NOT_FOUND"],
      ["/quotes/{ticker}", { ticker: "NOT A TICKER" }, undefined, 400, "INVALID_TICKER"],
      ["/users/{userId}", { userId: "../etc" }, undefined, 400, "INVALID_USER_ID"],
      ["/users/{userId}/transactions", { userId: "1" }, { limit: "0" }, 400, "INVALID_LIMIT"],
      ["/users/{userId}/transactions", { userId: "1" }, { limit: "101" }, 400, "INVALID_LIMIT"],
      ["/users/{userId}/transactions", { userId: "1" }, { nextToken: "garbage" }, 400, "INVALID_NEXT_TOKEN"],
    ];
    for (const [resource, params, q, status, code] of cases) {
      const response = await get(resource, params, q);
      assert.equal(response.status, status, `${resource} ${JSON.stringify(params)} ${JSON.stringify(q)}`);
      assert.equal(response.body.error.code, code);
    }
  });

  test("transactions are listed newest first, page by page, and a token only works for its user", async () => {
    const placed: string[] = [];
    for (const ticker of ["AAPL", "MSFT", "NVDA", "META", "TSLA"]) placed.push((await placeOrder(cloud, validate, { userId: "2", ticker, quantity: 1 })).orderId);
    const seen: string[] = [];
    const createdAt: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const { status, body } = await get("/users/{userId}/transactions", { userId: "2" }, { limit: "2", ...(nextToken ? { nextToken } : {}) });
      assert.equal(status, 200);
      assert.ok(body.items.length <= 2);
      seen.push(...body.items.map((o: { orderId: string }) => o.orderId));
      createdAt.push(...body.items.map((o: { createdAt: string }) => o.createdAt));
      nextToken = body.nextToken ?? undefined;
      pages++;
      if (pages === 1) {
        const stolen = await get("/users/{userId}/transactions", { userId: "3" }, { nextToken: String(nextToken) });
        assert.equal(stolen.body.error?.code, "INVALID_NEXT_TOKEN");
      }
    } while (nextToken);
    assert.deepEqual([...seen].sort(), [...placed].sort(), "every order once, none twice");
    assert.deepEqual(createdAt, [...createdAt].sort().reverse(), "newest first");
    assert.ok(pages >= 3);
  });

  test("a valuation never replaces a newer one, and a newer one always replaces it", async () => {
    const store = new DynamoUserStore(cloud.tables.users, cloud.db);
    const current = (await store.getProfile("1"))?.valuation;
    assert.ok(current);
    const older = { totals: emptyTotals(), valuedAt: "2000-01-01T00:00:00.000Z", tradeVersion: current.tradeVersion };
    assert.equal(await store.saveValuation("1", older), false);
    const fewerTrades = { totals: emptyTotals(), valuedAt: new Date(Date.now() + 60_000).toISOString(), tradeVersion: current.tradeVersion - 1 };
    assert.equal(await store.saveValuation("1", fewerTrades), false);
    assert.deepEqual((await store.getProfile("1"))?.valuation, current);

    const later = { totals: emptyTotals(), valuedAt: new Date(Date.parse(current.valuedAt) + 1).toISOString(), tradeVersion: current.tradeVersion };
    assert.equal(await store.saveValuation("1", later), true, "as many trades, computed later");
    const moreTrades = { totals: emptyTotals(), valuedAt: "2000-01-01T00:00:00.000Z", tradeVersion: current.tradeVersion + 1 };
    assert.equal(await store.saveValuation("1", moreTrades), true, "more trades, whatever the clock says");
    assert.equal(await store.saveValuation("1", moreTrades), true, "the same valuation again, as a retry saves it");
    assert.deepEqual((await store.getProfile("1"))?.valuation, moreTrades);
    assert.equal(await store.saveValuation("999", moreTrades), false, "no such user: nothing is created");
    assert.equal(await store.getProfile("999"), undefined);
  });

  test("seeding again never resets a used account", async () => {
    const before = await profileOf(cloud, "1");
    assert.deepEqual(await seedDemoUsers({ usersTable: cloud.tables.users, client: cloud.db, cipher: cloud.cipher }), { created: [], existing: ["1", "2", "3"] });
    assert.deepEqual((await profileOf(cloud, "1")).cash, before.cash);
  });
});
