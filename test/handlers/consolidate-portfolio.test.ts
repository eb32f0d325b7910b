import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message } from "@aws-sdk/client-sqs";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoAttentionList } from "../../adapters/dynamo-attention-list.ts";
import { formatCents } from "../../domain/money.ts";
import { seedDemoUsers } from "../../scripts/seed-users.ts";
import { lambdaContext, sqsEvent } from "./support/events.ts";
import { invocationsFor, orderOf, outcomesIn, placeOrder, profileOf, type ApiHandler, type SqsHandler } from "./support/flow.ts";
import { captureLogs, type CapturedLogs } from "./support/logs.ts";
import { startTestCloud, type TestCloud } from "./support/test-cloud.ts";

type AsyncHandler = (event: unknown, context: unknown) => Promise<unknown>;
type Result = { notified: number; valuations: Record<string, { valuedAt: string; stored: boolean }> };
const load = async <T>(name: string) => ((await import(`../../functions/${name}.ts`)) as { handler: T }).handler;

/** consolidate-portfolio revalues each user once for a batch's orders and still notifies every one of them. */
describe("consolidate-portfolio", () => {
  let cloud: TestCloud;
  let logs: CapturedLogs;
  let validate: ApiHandler, processOrder: SqsHandler, consolidate: AsyncHandler;

  before(async () => {
    cloud = await startTestCloud({ SIMULATED_MARKET_SEED: "consolidate" });
    await seedDemoUsers({ usersTable: cloud.tables.users, client: cloud.db, cipher: cloud.cipher });
    logs = captureLogs();
    [validate, processOrder, consolidate] = [
      await load<ApiHandler>("validate-order"),
      await load<SqsHandler>("process-order"),
      await load<AsyncHandler>("consolidate-portfolio"),
    ];
  });
  after(async () => {
    logs?.stop();
    await cloud?.stop();
  });

  /** Every message on the queue, taken off it. */
  const drain = async (queueUrl: string): Promise<Record<string, any>[]> => {
    const all: Message[] = [];
    for (;;) {
      const { Messages = [] } = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
      if (Messages.length === 0) break;
      all.push(...Messages);
      await cloud.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle })) }));
    }
    return all.map((m) => JSON.parse(m.Body ?? "{}") as Record<string, any>);
  };
  /** Places and processes orders; returns the outcomes process-order handed to consolidation. */
  const decided = async (orders: { userId: string; ticker: string; quantity: number; side?: "BUY" | "SELL" }[]) => {
    const placed = [];
    for (const order of orders) placed.push(await placeOrder(cloud, validate, order));
    await processOrder(sqsEvent(...placed.map((p) => p.record)), lambdaContext());
    return placed.map(({ orderId }) => {
      const [invocation] = invocationsFor(cloud, orderId);
      const outcome = invocation && outcomesIn(invocation.payload).find((o) => o.orderId === orderId);
      assert.ok(outcome, `order ${orderId} was handed to consolidation`);
      return outcome;
    });
  };
  const notifiedAt = async (orderId: string) => ((await orderOf(cloud, orderId)) as { notifiedAt?: string }).notifiedAt;

  test("one payload with three outcomes: one valuation, three pushes, three e-mails, three orders notified", async () => {
    const outcomes = await decided([
      { userId: "1", ticker: "PETR4", quantity: 10 },
      { userId: "1", ticker: "VALE3", quantity: 2 },
      { userId: "1", ticker: "AAPL", quantity: 1_000_000 },
    ]);
    await drain(cloud.queues.push);
    await drain(cloud.queues.email);
    assert.deepEqual(outcomes.map((o) => o.status), ["FILLED", "FILLED", "REJECTED"]);

    const result = (await consolidate({ outcomes }, lambdaContext())) as Result;
    assert.equal(result.notified, 3);
    assert.deepEqual(Object.keys(result.valuations), ["1"]);
    assert.equal(result.valuations["1"]?.stored, true);

    const pushes = await drain(cloud.queues.push);
    const emails = await drain(cloud.queues.email);
    const ids = outcomes.map((o) => o.orderId).sort();
    assert.deepEqual(pushes.map((m) => m.orderId).sort(), ids, "one push per order");
    assert.deepEqual(emails.map((m) => m.orderId).sort(), ids, "one e-mail per order");
    const profile = await profileOf(cloud, "1");
    const brl = formatCents(profile.valuation?.totals.BRL?.marketValue ?? Number.NaN);
    for (const message of [...pushes, ...emails]) {
      assert.equal(message.portfolioValue.BRL, brl, "every message tells the one valuation stored");
      assert.equal(message.valuedAt, result.valuations["1"]?.valuedAt);
    }
    assert.equal(pushes.find((m) => m.status === "REJECTED")?.reason, "INSUFFICIENT_FUNDS", "the rejection is notified too");
    for (const { orderId } of outcomes) assert.ok(await notifiedAt(orderId), `order ${orderId} is marked notified`);
    for (const outcome of outcomes) {
      const queued = logs.lines.find((l) => l.message === "order event published" && l.orderId === outcome.orderId);
      assert.ok(queued, "a log line per order");
    }
  });

  test("the older single-outcome payload still consolidates and notifies its order", async () => {
    const [outcome] = await decided([{ userId: "2", ticker: "AAPL", quantity: 3 }]);
    assert.ok(outcome);
    await drain(cloud.queues.push);
    await drain(cloud.queues.email);
    const result = (await consolidate(outcome, lambdaContext())) as { notified: number };
    assert.equal(result.notified, 1);
    assert.deepEqual((await drain(cloud.queues.push)).map((m) => m.orderId), [outcome.orderId]);
    assert.deepEqual((await drain(cloud.queues.email)).map((m) => m.orderId), [outcome.orderId]);
    assert.ok(await notifiedAt(outcome.orderId));
  });

  test("orders already notified in a payload are skipped; the others are notified", async () => {
    const outcomes = await decided([
      { userId: "3", ticker: "ITUB4", quantity: 1 },
      { userId: "3", ticker: "BBAS3", quantity: 1 },
    ]);
    const [first, second] = outcomes;
    assert.ok(first && second);
    await consolidate({ outcomes: [first] }, lambdaContext());
    const firstNotifiedAt = await notifiedAt(first.orderId);
    await drain(cloud.queues.push);
    await drain(cloud.queues.email);

    const result = (await consolidate({ outcomes: [first, second, second] }, lambdaContext())) as { notified: number };
    assert.equal(result.notified, 1);
    assert.deepEqual((await drain(cloud.queues.push)).map((m) => m.orderId), [second.orderId], "no second push for the first order, one for the second");
    assert.deepEqual((await drain(cloud.queues.email)).map((m) => m.orderId), [second.orderId]);
    assert.equal(await notifiedAt(first.orderId), firstNotifiedAt);
    assert.ok(await notifiedAt(second.orderId));

    assert.equal(await consolidate({ outcomes }, lambdaContext()), undefined, "a repeat of the whole payload does nothing");
    assert.deepEqual(await drain(cloud.queues.push), []);
  });

  test("one payload with two users' outcomes: each user valued once and told their own value", async () => {
    const outcomes = await decided([
      { userId: "1", ticker: "PETR4", quantity: 1 },
      { userId: "2", ticker: "AAPL", quantity: 1 },
      { userId: "1", ticker: "VALE3", quantity: 1 },
    ]);
    await drain(cloud.queues.push);
    await drain(cloud.queues.email);
    const result = (await consolidate({ outcomes }, lambdaContext())) as Result;
    assert.equal(result.notified, 3);
    assert.deepEqual(Object.keys(result.valuations).sort(), ["1", "2"]);
    const consolidated = logs.lines.filter((l) => l.message === "portfolio consolidated" && l.valuedAt === result.valuations[String(l.userId)]?.valuedAt);
    assert.deepEqual(consolidated.map((l) => l.userId).sort(), ["1", "2"], "one valuation per user");

    const pushes = await drain(cloud.queues.push);
    assert.deepEqual(pushes.map((m) => m.orderId).sort(), outcomes.map((o) => o.orderId).sort());
    for (const userId of ["1", "2"]) {
      const profile = await profileOf(cloud, userId);
      const brl = formatCents(profile.valuation?.totals.BRL?.marketValue ?? Number.NaN);
      const usd = formatCents(profile.valuation?.totals.USD?.marketValue ?? Number.NaN);
      for (const message of pushes.filter((m) => m.userId === userId)) {
        assert.deepEqual(message.portfolioValue, { BRL: brl, USD: usd }, `user ${userId} is told their own portfolio value`);
        assert.equal(message.name, profile.name);
      }
    }
    for (const { orderId } of outcomes) assert.ok(await notifiedAt(orderId));
  });

  test("accounts carried in the payload are used instead of reading them; a user without one is read", async () => {
    const outcomes = await decided([
      { userId: "1", ticker: "PETR4", quantity: 1 },
      { userId: "2", ticker: "AAPL", quantity: 1 },
    ]);
    const [invocation] = invocationsFor(cloud, outcomes[0]?.orderId ?? "");
    const carried = (invocation?.payload as { accounts: Record<string, unknown> }).accounts;
    assert.ok(carried["1"] && carried["2"], "process-order handed on both accounts");
    cloud.requests.length = 0;
    const result = (await consolidate({ outcomes, accounts: { "1": carried["1"] } }, lambdaContext())) as Result;
    assert.equal(result.notified, 2);
    const accountReads = cloud.requests.filter((r) => r.operation === "DynamoDB.Query" && r.tables.includes(cloud.tables.users));
    assert.equal(accountReads.length, 1, "only user 2's account was read");
    const pushes = await drain(cloud.queues.push);
    const profile = await profileOf(cloud, "1");
    const told = pushes.find((m) => m.orderId === outcomes[0]?.orderId);
    assert.equal(told?.portfolioValue.BRL, formatCents(profile.valuation?.totals.BRL?.marketValue ?? Number.NaN), "valued from the carried account, stored on the user");
    await drain(cloud.queues.email);
  });

  test("a payload that is not an outcome at all is refused and queues nothing", async () => {
    const [a] = await decided([{ userId: "1", ticker: "PETR4", quantity: 1 }]);
    await drain(cloud.queues.push);
    for (const payload of [{ outcomes: [] }, { orderId: "x" }, { outcomes: [{ ...a, quantity: -1 }] }]) {
      await assert.rejects(consolidate(payload, lambdaContext()), { name: "InvalidOutcomeError" });
    }
    assert.deepEqual(await drain(cloud.queues.push), []);
    assert.equal(await notifiedAt(a?.orderId ?? ""), undefined);
  });

  test("the notified mark takes a final order once, never an open one, and never creates an order", async () => {
    const attention = new DynamoAttentionList(cloud.tables.transactions, cloud.db);
    const at = new Date().toISOString();
    assert.equal(await attention.markNotified("no-such-order", at), false);
    const { Item } = await cloud.db.send(new GetCommand({ TableName: cloud.tables.transactions, Key: { pk: "ORDER#no-such-order", sk: "ORDER" } }));
    assert.equal(Item, undefined);

    const open = await placeOrder(cloud, validate, { userId: "2", ticker: "PETR4", quantity: 1 });
    assert.equal(await attention.markNotified(open.orderId, at), false, "an ACCEPTED order is not final yet");
    await processOrder(sqsEvent(open.record), lambdaContext());
    assert.equal((await orderOf(cloud, open.orderId)).status, "FILLED");
    assert.equal(await attention.markNotified(open.orderId, at), true);
    assert.equal(await attention.markNotified(open.orderId, new Date().toISOString()), false, "marked once only");
    assert.equal(await notifiedAt(open.orderId), at);
  });
});
