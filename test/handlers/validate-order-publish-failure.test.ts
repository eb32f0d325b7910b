import { DeleteMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { APIGatewayProxyResult } from "aws-lambda";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { seedDemoUsers } from "../../scripts/seed-users.ts";
import { apiEvent, lambdaContext } from "./support/events.ts";
import { orderOf } from "./support/flow.ts";
import { captureLogs, type CapturedLogs } from "./support/logs.ts";
import { startTestCloud, type TestCloud } from "./support/test-cloud.ts";

type Handler = (event: unknown, context: unknown) => Promise<APIGatewayProxyResult>;

describe("validate-order when the OrderEvents topic cannot be published to", () => {
  let cloud: TestCloud;
  let handler: Handler;
  let logs: CapturedLogs;

  before(async () => {
    // A topic that does not exist: every publish fails.
    cloud = await startTestCloud({ ORDER_EVENTS_TOPIC_ARN: "arn:aws:sns:us-east-1:000000000000:missing" });
    await seedDemoUsers({ usersTable: cloud.tables.users, client: cloud.db, cipher: cloud.cipher });
    logs = captureLogs();
    ({ handler } = (await import("../../functions/validate-order.ts")) as unknown as { handler: Handler });
  });
  after(async () => {
    logs?.stop();
    await cloud?.stop();
  });

  test("the order is still accepted and queued; the missing event is logged as an error", async () => {
    const response = await handler(apiEvent({ method: "POST", resource: "/orders", body: '{"ticker": "PETR4", "quantity": 1}', caller: "1" }), lambdaContext());
    assert.equal(response.statusCode, 202, response.body);
    const { orderId } = JSON.parse(response.body) as { orderId: string };
    assert.equal((await orderOf(cloud, orderId)).status, "ACCEPTED");
    const { Messages = [] } = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: cloud.queues.orders, MaxNumberOfMessages: 10 }));
    assert.deepEqual(Messages.map((m) => (JSON.parse(m.Body ?? "{}") as { orderId: string }).orderId), [orderId], "the order is queued");
    for (const message of Messages) await cloud.sqs.send(new DeleteMessageCommand({ QueueUrl: cloud.queues.orders, ReceiptHandle: message.ReceiptHandle }));
    const errors = logs.lines.filter((line) => line.level === "ERROR" && line.message === "accepted event not published");
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.orderId, orderId);
    const { Messages: audited = [] } = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: cloud.queues.audit, MaxNumberOfMessages: 10 }));
    assert.equal(audited.length, 0, "nothing reached the audit queue");
  });
});
