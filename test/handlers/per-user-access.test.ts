import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { APIGatewayProxyResult } from "aws-lambda";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { seedDemoUsers } from "../../scripts/seed-users.ts";
import { apiEvent, lambdaContext, sqsEvent, sqsRecord } from "./support/events.ts";
import { placeOrder, type ApiHandler, type SqsHandler } from "./support/flow.ts";
import { captureLogs, type CapturedLogs } from "./support/logs.ts";
import { startTestCloud, type TestCloud } from "./support/test-cloud.ts";

const load = async <T>(name: string) => ((await import(`../../functions/${name}.ts`)) as { handler: T }).handler;
const codeOf = (response: APIGatewayProxyResult) => (JSON.parse(response.body) as { error?: { code: string } }).error?.code;

describe("a caller reads and trades only their own account", () => {
  let cloud: TestCloud;
  let logs: CapturedLogs;
  let validate: ApiHandler, query: ApiHandler, sendEmail: SqsHandler;
  let anasOrder = "";

  before(async () => {
    cloud = await startTestCloud();
    await seedDemoUsers({ usersTable: cloud.tables.users, client: cloud.db, cipher: cloud.cipher });
    logs = captureLogs();
    [validate, query, sendEmail] = [await load<ApiHandler>("validate-order"), await load<ApiHandler>("query-api"), await load<SqsHandler>("send-email")];
    anasOrder = (await placeOrder(cloud, validate, { userId: "1", ticker: "PETR4", quantity: 1 })).orderId;
  });
  after(async () => {
    logs?.stop();
    await cloud?.stop();
  });

  const get = (resource: string, pathParameters: Record<string, string>, caller?: string) =>
    query(apiEvent({ resource, pathParameters, ...(caller ? { caller } : {}) }), lambdaContext());
  const itemCount = async () => (await cloud.db.send(new ScanCommand({ TableName: cloud.tables.transactions }))).Items?.length ?? 0;

  test("another user's account and transactions are 403 FORBIDDEN", async () => {
    for (const resource of ["/users/{userId}", "/users/{userId}/transactions"]) {
      const response = await get(resource, { userId: "1" }, "2");
      assert.equal(response.statusCode, 403, resource);
      assert.equal(codeOf(response), "FORBIDDEN");
    }
    assert.equal((await get("/users/{userId}", { userId: "2" }, "2")).statusCode, 200);
  });

  test("another user's order is 404 ORDER_NOT_FOUND, like one that does not exist", async () => {
    const theirs = await get("/orders/{orderId}", { orderId: anasOrder }, "2");
    const missing = await get("/orders/{orderId}", { orderId: "no-such-order" }, "2");
    assert.equal(theirs.statusCode, 404);
    assert.equal(codeOf(theirs), "ORDER_NOT_FOUND");
    assert.equal(JSON.parse(theirs.body).error.message.replace(anasOrder, "ID"), JSON.parse(missing.body).error.message.replace("no-such-order", "ID"));
    assert.equal((await get("/orders/{orderId}", { orderId: anasOrder }, "1")).statusCode, 200);
  });

  test("GET /users/{id} no longer shows the e-mail", async () => {
    const body = JSON.parse((await get("/users/{userId}", { userId: "1" }, "1")).body) as Record<string, unknown>;
    assert.equal("email" in body, false);
    assert.doesNotMatch(JSON.stringify(body), /@example\.com|encryptedEmail/);
  });

  test("without the authorizer's context nothing is served or written: 401", async () => {
    const before = await itemCount();
    for (const response of [
      await get("/users/{userId}", { userId: "1" }),
      await get("/quotes/{ticker}", { ticker: "PETR4" }),
      await validate(apiEvent({ method: "POST", resource: "/orders", body: '{"ticker":"PETR4","quantity":1}' }), lambdaContext()),
    ]) {
      assert.equal(response.statusCode, 401);
      assert.equal(codeOf(response), "UNAUTHENTICATED");
    }
    assert.equal(await itemCount(), before);
    const { Messages = [] } = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: cloud.queues.orders, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    assert.deepEqual(Messages, []);
  });

  test("an order without userId is placed for the caller", async () => {
    const response = await validate(apiEvent({ method: "POST", resource: "/orders", body: '{"ticker":"VALE3","quantity":2}', caller: "3" }), lambdaContext());
    assert.equal(response.statusCode, 202);
    const { orderId } = JSON.parse(response.body) as { orderId: string };
    assert.equal(JSON.parse((await get("/orders/{orderId}", { orderId }, "3")).body).userId, "3");
  });

  test("send-email decrypts the address bound to the order's user, and refuses one bound to another", async () => {
    const profile = (await cloud.db.send(new ScanCommand({ TableName: cloud.tables.users }))).Items?.find((item) => item.pk === "USER#1" && item.sk === "PROFILE");
    assert.ok(typeof profile?.encryptedEmail === "string");
    assert.equal(profile.email, undefined, "no plain e-mail is stored");
    const notification = (userId: string) =>
      JSON.stringify({
        orderId: `o-${userId}`, userId, correlationId: "c", ticker: "PETR4", side: "BUY", quantity: 1, currency: "BRL", status: "FILLED",
        name: "Ana Souza", encryptedEmail: profile.encryptedEmail, portfolioValue: { BRL: "1.00", USD: "0.00" }, valuedAt: "2026-12-02T12:00:00Z",
      });
    const result = await sendEmail(sqsEvent(sqsRecord(notification("1"), { messageId: "ok" }), sqsRecord(notification("2"), { messageId: "wrong-user" })), lambdaContext());
    assert.deepEqual(result.batchItemFailures, [{ itemIdentifier: "wrong-user" }]);
    assert.ok(logs.lines.some((line) => line.message === "email delivered" && line.orderId === "o-1"), JSON.stringify(logs.lines.slice(-4)));
    assert.doesNotMatch(JSON.stringify(logs.lines), /ana\.souza@example\.com/);
  });
});
