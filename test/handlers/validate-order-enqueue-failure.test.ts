import type { APIGatewayProxyResult } from "aws-lambda";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { seedDemoUsers } from "../../scripts/seed-users.ts";
import { apiEvent, lambdaContext } from "./support/events.ts";
import { captureLogs, type CapturedLogs } from "./support/logs.ts";
import { startTestCloud, type TestCloud } from "./support/test-cloud.ts";

type Handler = (event: unknown, context: unknown) => Promise<APIGatewayProxyResult>;

describe("validate-order when the orders queue is unreachable", () => {
  let cloud: TestCloud;
  let handler: Handler;
  let logs: CapturedLogs;

  before(async () => {
    cloud = await startTestCloud();
    // A queue that does not exist: every SendMessage fails.
    process.env.ORDERS_QUEUE_URL = `${cloud.endpoint}/000000000000/missing.fifo`;
    await seedDemoUsers({ usersTable: cloud.tables.users, client: cloud.db, cipher: cloud.cipher });
    logs = captureLogs();
    ({ handler } = (await import("../../functions/validate-order.ts")) as unknown as { handler: Handler });
  });
  after(async () => {
    logs?.stop();
    await cloud?.stop();
  });

  test("answers 503 ENQUEUE_FAILED, records the order REJECTED, and frees the Idempotency-Key", async () => {
    const post = () =>
      handler(apiEvent({ method: "POST", resource: "/orders", body: '{"userId": "1", "ticker": "PETR4", "quantity": 1}', headers: { "Idempotency-Key": "k-1" }, caller: "1" }), lambdaContext());
    const response = await post();
    assert.equal(response.statusCode, 503);
    assert.equal(JSON.parse(response.body).error.code, "ENQUEUE_FAILED");

    const { Items = [] } = await cloud.db.send(
      new QueryCommand({ TableName: cloud.tables.transactions, IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :u", ExpressionAttributeValues: { ":u": "USER#1" } }),
    );
    assert.deepEqual(Items.map((i) => [i.status, i.reason]), [["REJECTED", "ENQUEUE_FAILED"]]);
    // The client was told at once: no notification is owed, so the reconciler has nothing to do.
    assert.deepEqual(Items.map((i) => i.gsi2pk), [undefined], "the order is off the attention index");

    const retry = await post();
    assert.equal(retry.statusCode, 503, "the retry is a new attempt, not a replay of the failed one");
  });

  test("counts the order as rejected for ENQUEUE_FAILED, never as accepted (EMF)", async () => {
    logs.lines.length = 0;
    const response = await handler(apiEvent({ method: "POST", resource: "/orders", body: '{"userId": "2", "ticker": "AAPL", "quantity": 1}', caller: "2" }), lambdaContext());
    assert.equal(response.statusCode, 503);
    const emf = logs.lines.filter((line) => typeof line._aws === "object");
    assert.deepEqual(emf.map((line) => [line.reason, line.OrdersRejected, line.OrdersAccepted]), [["ENQUEUE_FAILED", 1, undefined]]);
  });
});
