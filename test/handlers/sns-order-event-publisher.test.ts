import { DeleteMessageBatchCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { SNSClient } from "@aws-sdk/client-sns";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { newOrder } from "../../domain/order.ts";
import { SnsOrderEventPublisher } from "../../adapters/sns-order-event-publisher.ts";
import { acceptedEvent } from "../../functions/shared/order-events.ts";
import { startTestCloud, type TestCloud } from "./support/test-cloud.ts";

describe("SnsOrderEventPublisher", () => {
  let cloud: TestCloud;
  let sns: SNSClient;

  before(async () => {
    cloud = await startTestCloud();
    sns = new SNSClient({ endpoint: cloud.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  });
  after(async () => {
    sns?.destroy();
    await cloud?.stop();
  });

  const events = (count: number) =>
    Array.from({ length: count }, (_, index) =>
      acceptedEvent(newOrder({ userId: "1", ticker: "PETR4", quantity: 1, side: "BUY" }, "BRL", { orderId: `o-${index}`, correlationId: `c-${index}`, now: new Date().toISOString() })),
    );

  test("23 events go out in three PublishBatch calls of at most ten, and each reaches the audit queue once", async () => {
    cloud.requests.length = 0;
    const failed = await new SnsOrderEventPublisher(cloud.orderEventsTopicArn, sns).publishAll(events(23));
    assert.deepEqual(failed, []);
    assert.deepEqual(cloud.requests.map((r) => r.operation), ["SNS.PublishBatch", "SNS.PublishBatch", "SNS.PublishBatch"]);
    const ids: string[] = [];
    for (;;) {
      const { Messages = [] } = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: cloud.queues.audit, MaxNumberOfMessages: 10 }));
      if (Messages.length === 0) break;
      ids.push(...Messages.map((m) => (JSON.parse(m.Body ?? "{}") as { eventId: string }).eventId));
      await cloud.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: cloud.queues.audit, Entries: Messages.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle })) }));
    }
    assert.deepEqual(ids.sort(), events(23).map((e) => e.eventId).sort());
  });

  test("a topic that does not exist fails the call, so the caller can retry", async () => {
    await assert.rejects(new SnsOrderEventPublisher("arn:aws:sns:us-east-1:000000000000:missing", sns).publishAll(events(1)), { name: "NotFoundException" });
  });
});
