import { DeleteMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyResult } from "aws-lambda";
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { seedDemoUsers } from "../../scripts/seed-users.ts";
import { DynamoOrderStore } from "../../adapters/dynamo-order-store.ts";
import { newOrder } from "../../domain/order.ts";
import { requestHash } from "../../functions/shared/request-body.ts";
import { apiEvent, lambdaContext } from "./support/events.ts";
import { captureLogs, type CapturedLogs } from "./support/logs.ts";
import { startTestCloud, type TestCloud } from "./support/test-cloud.ts";

type Handler = (event: unknown, context: unknown) => Promise<APIGatewayProxyResult>;

describe("validate-order (POST /orders)", () => {
  let cloud: TestCloud;
  let handler: Handler;
  let logs: CapturedLogs;

  before(async () => {
    cloud = await startTestCloud();
    await seedDemoUsers({ usersTable: cloud.tables.users, client: cloud.db, cipher: cloud.cipher });
    logs = captureLogs();
    ({ handler } = (await import("../../functions/validate-order.ts")) as unknown as { handler: Handler });
  });
  after(async () => {
    logs?.stop();
    await cloud?.stop();
  });

  /** Signed in as `caller`: by default the user the body names, else user 1. */
  const post = (body: string, headers: Record<string, string> = {}, caller = callerOf(body)) =>
    handler(apiEvent({ method: "POST", resource: "/orders", body, headers: { "content-type": "application/json", ...headers }, caller }), lambdaContext());
  function callerOf(body: string): string {
    try {
      const userId = (JSON.parse(body) as { userId?: unknown }).userId;
      return typeof userId === "string" ? userId : "1";
    } catch {
      return "1";
    }
  }

  async function receiveAll(): Promise<Record<string, unknown>[]> {
    const { Messages = [] } = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: cloud.queues.orders, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    return Messages.map((m) => JSON.parse(m.Body ?? "{}") as Record<string, unknown>);
  }
  async function orderItems(): Promise<number> {
    const { Items = [] } = await cloud.db.send(new ScanCommand({ TableName: cloud.tables.transactions }));
    return Items.length;
  }

  describe("refused requests write and enqueue nothing", () => {
    let itemsBefore = 0;
    beforeEach(async () => {
      itemsBefore = await orderItems();
    });

    const cases: [string, string, number, string, Record<string, string>?][] = [
      ["malformed JSON", '{"userId": "1",', 400, "MALFORMED_JSON"],
      ["a missing field", '{"userId": "1", "quantity": 10}', 400, "VALIDATION_FAILED"],
      ["a wrong type", '{"userId": "1", "ticker": "PETR4", "quantity": "10"}', 400, "VALIDATION_FAILED"],
      ["an unknown field", '{"userId": "1", "ticker": "PETR4", "quantity": 10, "price": 1}', 400, "VALIDATION_FAILED"],
      ["an unknown side", '{"userId": "1", "ticker": "PETR4", "quantity": 10, "side": "SHORT"}', 400, "VALIDATION_FAILED"],
      ["a fractional quantity", '{"userId": "1", "ticker": "PETR4", "quantity": 1.5}', 400, "INVALID_QUANTITY"],
      ["a negative quantity", '{"userId": "1", "ticker": "PETR4", "quantity": -3}', 400, "INVALID_QUANTITY"],
      ["an absurd quantity", '{"userId": "1", "ticker": "PETR4", "quantity": 1000001}', 400, "INVALID_QUANTITY"],
      ["a malformed ticker", '{"userId": "1", "ticker": "PETR-4!", "quantity": 1}', 400, "INVALID_TICKER"],
      ["another user's id", '{"userId": "2", "ticker": "PETR4", "quantity": 1}', 403, "FORBIDDEN"],
      ["an unknown user's id with an Idempotency-Key", '{"userId": "998", "ticker": "PETR4", "quantity": 1}', 403, "FORBIDDEN", { "Idempotency-Key": "other-user-key" }],
      ["a body over 16 KiB", JSON.stringify({ userId: "1", ticker: "PETR4", quantity: 1, pad: "x".repeat(17_000) }), 413, "PAYLOAD_TOO_LARGE"],
      ["a valid order sent as a form", '{"userId": "1", "ticker": "PETR4", "quantity": 1}', 415, "UNSUPPORTED_MEDIA_TYPE", { "content-type": "application/x-www-form-urlencoded" }],
      ["a valid order sent as multipart", '{"userId": "1", "ticker": "PETR4", "quantity": 1}', 415, "UNSUPPORTED_MEDIA_TYPE", { "content-type": "multipart/form-data; boundary=x" }],
      ["a bad Idempotency-Key", '{"userId": "1", "ticker": "PETR4", "quantity": 1}', 400, "INVALID_IDEMPOTENCY_KEY", { "Idempotency-Key": "x".repeat(129) }],
    ];
    for (const [what, body, status, code, headers] of cases) {
      test(`${what} → ${status} ${code}`, async () => {
        const response = await post(body, headers, "1");
        assert.equal(response.statusCode, status);
        const parsed = JSON.parse(response.body) as { error: { code: string; message: string } };
        assert.equal(parsed.error.code, code);
        assert.ok(parsed.error.message.length > 0);
        assert.doesNotMatch(response.body, /at .*\.ts:\d+/, "no stack trace");
        assert.equal(await orderItems(), itemsBefore, "nothing written");
        assert.deepEqual(await receiveAll(), [], "nothing enqueued");
      });
    }

    test("validation details carry zod's issues", async () => {
      const response = await post('{"userId": "1", "ticker": "PETR4", "quantity": "ten"}');
      const { error } = JSON.parse(response.body) as { error: { details: { path: string[] }[] } };
      assert.deepEqual(error.details[0]?.path, ["quantity"]);
    });
  });

  test("a valid order → 202 with Location, recorded as ACCEPTED and on the queue with its correlation id", async () => {
    const response = await post('{"userId": "1", "ticker": "PETR4", "quantity": 10, "side": "BUY"}', { "X-Correlation-Id": "demo-corr-1" });
    assert.equal(response.statusCode, 202);
    const body = JSON.parse(response.body) as { orderId: string; status: string };
    assert.equal(body.status, "ACCEPTED");
    assert.equal(response.headers?.location, `/orders/${body.orderId}`);
    const messages = await receiveAll();
    assert.deepEqual(messages, [{ orderId: body.orderId, userId: "1", correlationId: "demo-corr-1" }]);
    const accepted = logs.lines.find((l) => l.message === "order accepted" && l.orderId === body.orderId);
    assert.equal(accepted?.correlationId, "demo-corr-1");
  });

  test("accepting an order takes one DynamoDB request (the user check is in the transaction) and one SendMessage; its accepted event waits for consolidation", async () => {
    cloud.requests.length = 0;
    const response = await post('{"userId": "2", "ticker": "VALE3", "quantity": 1}');
    assert.equal(response.statusCode, 202);
    assert.deepEqual(cloud.requests.map((r) => r.operation), ["DynamoDB.TransactWriteItems", "SQS.SendMessage"]);
    // Taken off the queue, so user 2's FIFO group is free for the next test.
    const { Messages = [] } = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: cloud.queues.orders, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    assert.equal(Messages.length, 1);
    for (const message of Messages) await cloud.sqs.send(new DeleteMessageCommand({ QueueUrl: cloud.queues.orders, ReceiptHandle: message.ReceiptHandle }));
  });

  test("Idempotency-Key: a replay returns the same order, another body is 422", async () => {
    const key = { "Idempotency-Key": "client-retry-42" };
    const first = await post('{"userId": "2", "ticker": "AAPL", "quantity": 3}', key);
    const again = await post('{"userId": "2", "ticker": "AAPL", "quantity": 3, "side": "BUY"}', key);
    assert.equal(first.statusCode, 202);
    assert.equal(again.statusCode, 202);
    assert.equal(JSON.parse(again.body).orderId, JSON.parse(first.body).orderId);
    assert.equal((await receiveAll()).length, 1, "only the first request was enqueued");

    const other = await post('{"userId": "2", "ticker": "AAPL", "quantity": 4}', key);
    assert.equal(other.statusCode, 422);
    assert.equal(JSON.parse(other.body).error.code, "IDEMPOTENCY_KEY_REUSED");
  });

  test("a retry with the key queues an order the first attempt recorded but never queued", async () => {
    // As if the first attempt died between writing the order and sending it to the queue.
    // User 3: receiveAll leaves earlier messages in flight, which holds back their FIFO groups.
    const request = { userId: "3", ticker: "ITUB4", quantity: 7, side: "BUY" as const };
    const order = newOrder(request, "BRL", { orderId: "crashed-before-enqueue", correlationId: "corr-crash", now: new Date().toISOString() });
    const store = new DynamoOrderStore(cloud.tables.transactions, { usersTableName: cloud.tables.users });
    await store.accept({ order, idempotency: { key: "retry-after-crash", requestHash: requestHash(request) } });
    assert.deepEqual(await receiveAll(), [], "nothing was queued by the first attempt");

    const retry = await post(JSON.stringify(request), { "Idempotency-Key": "retry-after-crash" });
    assert.equal(retry.statusCode, 202);
    assert.equal(JSON.parse(retry.body).orderId, "crashed-before-enqueue");
    const { Messages = [] } = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: cloud.queues.orders, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    assert.deepEqual(Messages.map((m) => JSON.parse(m.Body ?? "{}")), [{ orderId: "crashed-before-enqueue", userId: "3", correlationId: "corr-crash" }]);
    // Deleted, so user 3's FIFO group is free for the next test.
    for (const message of Messages) await cloud.sqs.send(new DeleteMessageCommand({ QueueUrl: cloud.queues.orders, ReceiptHandle: message.ReceiptHandle }));
  });

  test("concurrent requests with one key create one order", async () => {
    const key = { "Idempotency-Key": "double-click" };
    const body = '{"userId": "3", "ticker": "VALE3", "quantity": 5}';
    const responses = await Promise.all([post(body, key), post(body, key), post(body, key)]);
    assert.deepEqual(responses.map((r) => r.statusCode), [202, 202, 202]);
    assert.equal(new Set(responses.map((r) => JSON.parse(r.body).orderId)).size, 1);
    assert.equal((await receiveAll()).length, 1);
  });
});
