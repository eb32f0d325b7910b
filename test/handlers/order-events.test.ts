import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message } from "@aws-sdk/client-sqs";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { seedDemoUsers } from "../../scripts/seed-users.ts";
import { apiEvent, lambdaContext, sqsEvent, sqsRecord } from "./support/events.ts";
import { invocationsFor, placeOrder, type ApiHandler, type SqsHandler } from "./support/flow.ts";
import { captureLogs, type CapturedLogs } from "./support/logs.ts";
import { startTestCloud, type TestCloud } from "./support/test-cloud.ts";

type AsyncHandler = (event: unknown, context: unknown) => Promise<unknown>;
const load = async <T>(name: string) => ((await import(`../../functions/${name}.ts`)) as { handler: T }).handler;

/** An order's events through the OrderEvents topic: the audit trail, the statement, and their routes. */
describe("order events: audit trail and daily statement", () => {
  let cloud: TestCloud;
  let logs: CapturedLogs;
  let validate: ApiHandler, processOrder: SqsHandler, consolidate: AsyncHandler, recordAudit: SqsHandler, recordStatement: SqsHandler, query: ApiHandler;

  before(async () => {
    cloud = await startTestCloud({ SIMULATED_MARKET_SEED: "order-events" });
    await seedDemoUsers({ usersTable: cloud.tables.users, client: cloud.db, cipher: cloud.cipher });
    logs = captureLogs();
    [validate, processOrder, consolidate, recordAudit, recordStatement, query] = [
      await load<ApiHandler>("validate-order"),
      await load<SqsHandler>("process-order"),
      await load<AsyncHandler>("consolidate-portfolio"),
      await load<SqsHandler>("audit-recorder"),
      await load<SqsHandler>("record-statement-lines"),
      await load<ApiHandler>("query-api"),
    ];
  });
  after(async () => {
    logs?.stop();
    await cloud?.stop();
  });

  /** Every message on the queue, taken off it. */
  const drain = async (queueUrl: string): Promise<Message[]> => {
    const all: Message[] = [];
    for (;;) {
      const { Messages = [] } = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"] }));
      if (Messages.length === 0) break;
      all.push(...Messages);
      await cloud.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle })) }));
    }
    return all;
  };
  const bodies = (messages: Message[]) => messages.map((m) => JSON.parse(m.Body ?? "{}") as Record<string, any>);
  const asRecords = (messages: Message[]) => sqsEvent(...messages.map((m) => sqsRecord(m.Body ?? "", { messageId: m.MessageId ?? "" })));
  const get = (resource: string, pathParameters: Record<string, string>, caller: string) => query(apiEvent({ resource, pathParameters, caller }), lambdaContext());

  /** Places, processes and consolidates one order; returns its id. */
  const fill = async (order: { userId: string; ticker: string; quantity: number; side?: "BUY" | "SELL" }) => {
    const { orderId, record } = await placeOrder(cloud, validate, order);
    await processOrder(sqsEvent(record), lambdaContext());
    const [invocation] = invocationsFor(cloud, orderId);
    assert.ok(invocation, "process-order started consolidation");
    await consolidate(invocation.payload, lambdaContext());
    return orderId;
  };

  test("one filled order: accepted and filled to the audit queue, filled to the reports queue, one push and one e-mail", async () => {
    const orderId = await fill({ userId: "1", ticker: "PETR4", quantity: 10 });
    const audit = await drain(cloud.queues.audit);
    assert.deepEqual(bodies(audit).map((e) => e.eventId), [`${orderId}:accepted`, `${orderId}:filled`]);
    const [, filled] = bodies(audit);
    assert.equal(filled?.positionAfter, 10, "the position after the trade");
    assert.match(String(filled?.amount), /^\d+\.\d{2}$/);
    const reports = await drain(cloud.queues.reports);
    assert.deepEqual(bodies(reports).map((e) => e.type), ["filled"]);
    assert.equal(bodies(reports)[0]?.Type, undefined, "raw delivery: the body is the event itself, not an SNS envelope");
    const attributes = reports[0]?.MessageAttributes ?? {};
    assert.equal(attributes.type?.StringValue, "filled");
    assert.deepEqual([attributes.notional?.DataType, attributes.notional?.StringValue], ["Number", filled?.amount]);
    assert.deepEqual(bodies(await drain(cloud.queues.push)).map((e) => [e.orderId, e.status]), [[orderId, "FILLED"]], "no push for the acceptance");
    assert.equal((await drain(cloud.queues.email)).length, 1);
  });

  test("audit-recorder writes each event once: a redelivered batch is a no-op, not a failure", async () => {
    const orderId = await fill({ userId: "2", ticker: "AAPL", quantity: 3 });
    const audit = await drain(cloud.queues.audit);
    await drain(cloud.queues.reports);
    assert.deepEqual(await recordAudit(asRecords(audit), lambdaContext()), { batchItemFailures: [] });
    assert.deepEqual(await recordAudit(asRecords(audit), lambdaContext()), { batchItemFailures: [] }, "the repeat succeeds");
    const { Items = [] } = await cloud.db.send(new QueryCommand({ TableName: cloud.tables.audit, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": `ORDER#${orderId}` } }));
    assert.deepEqual(Items.map((i) => i.eventId), [`${orderId}:accepted`, `${orderId}:filled`], "one item per event");
    assert.equal(logs.lines.filter((l) => l.message === "order event was audited already" && l.orderId === orderId).length, 2);

    const response = await get("/orders/{orderId}/events", { orderId }, "2");
    assert.equal(response.statusCode, 200, response.body);
    const { items } = JSON.parse(response.body) as { items: { type: string; status: string; price?: string; encryptedEmail?: string }[] };
    assert.deepEqual(items.map((e) => [e.type, e.status]), [["accepted", "ACCEPTED"], ["filled", "FILLED"]]);
    assert.ok(items[1]?.price);
    assert.equal(items[1]?.encryptedEmail, undefined, "no personal data in the answer");
  });

  test("a malformed message fails alone; its neighbours are recorded", async () => {
    const orderId = await fill({ userId: "3", ticker: "VALE3", quantity: 1 });
    const audit = await drain(cloud.queues.audit);
    await drain(cloud.queues.reports);
    const bad = sqsRecord(JSON.stringify({ type: "filled", orderId }), { messageId: "bad" });
    const event = asRecords(audit);
    const result = await recordAudit({ Records: [bad, ...event.Records] }, lambdaContext());
    assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: "bad" }] });
    const response = await get("/orders/{orderId}/events", { orderId }, "3");
    assert.equal((JSON.parse(response.body) as { items: unknown[] }).items.length, 2);
  });

  test("GET /orders/{orderId}/events: someone else's order and an unknown one are both 404", async () => {
    const orderId = await fill({ userId: "1", ticker: "ITUB4", quantity: 1 });
    for (const [id, caller] of [[orderId, "2"], ["no-such-order", "1"]] as const) {
      const response = await get("/orders/{orderId}/events", { orderId: id }, caller);
      assert.equal(response.statusCode, 404);
      assert.equal((JSON.parse(response.body) as { error: { code: string } }).error.code, "ORDER_NOT_FOUND");
    }
    const bad = await get("/orders/{orderId}/events", { orderId: "not/valid" }, "1");
    assert.equal(bad.statusCode, 400);
  });

  test("the daily statement: one line per filled order whatever the redeliveries, totals per ticker, fees zero, closing position", async () => {
    await Promise.all([drain(cloud.queues.reports), drain(cloud.queues.audit)]);
    const day = new Date().toISOString().slice(0, 10);
    const before = JSON.parse((await get("/users/{userId}/statements/{date}", { userId: "3", date: day }, "3")).body) as { trades: number };
    assert.equal(before.trades, 0);
    await fill({ userId: "3", ticker: "PETR4", quantity: 10 });
    await fill({ userId: "3", ticker: "PETR4", quantity: 4, side: "SELL" });
    await fill({ userId: "3", ticker: "AAPL", quantity: 1_000_000 }); // rejected: not on the statement
    const reports = await drain(cloud.queues.reports);
    assert.equal(reports.length, 2, "only fills reach the reports queue");
    assert.deepEqual(await recordStatement(asRecords(reports), lambdaContext()), { batchItemFailures: [] });
    assert.deepEqual(await recordStatement(asRecords(reports), lambdaContext()), { batchItemFailures: [] });

    const response = await get("/users/{userId}/statements/{date}", { userId: "3", date: day }, "3");
    assert.equal(response.statusCode, 200, response.body);
    const statement = JSON.parse(response.body) as { trades: number; entries: { ticker: string; currency: string; bought: { quantity: number; amount: string }; sold: { quantity: number; amount: string }; fees: string; closingPosition: number }[] };
    assert.equal(statement.trades, 2, "one line per order, not per delivery");
    const [petr4] = statement.entries;
    assert.equal(statement.entries.length, 1);
    assert.equal(petr4?.ticker, "PETR4");
    assert.equal(petr4?.currency, "BRL");
    assert.equal(petr4?.bought.quantity, 10);
    assert.equal(petr4?.sold.quantity, 4);
    assert.equal(petr4?.fees, "0.00");
    assert.equal(petr4?.closingPosition, 6);
    const filled = bodies(reports);
    assert.deepEqual([petr4?.bought.amount, petr4?.sold.amount], filled.map((e) => e.amount));
  });

  test("GET /users/{userId}/statements/{date}: a bad date is 400 INVALID_DATE, another user's statement 403", async () => {
    for (const date of ["2026-02-30", "yesterday", "2026-1-1"]) {
      const response = await get("/users/{userId}/statements/{date}", { userId: "1", date }, "1");
      assert.equal(response.statusCode, 400, date);
      assert.equal((JSON.parse(response.body) as { error: { code: string } }).error.code, "INVALID_DATE");
    }
    const other = await get("/users/{userId}/statements/{date}", { userId: "2", date: "2026-12-01" }, "1");
    assert.equal(other.statusCode, 403);
  });
});
