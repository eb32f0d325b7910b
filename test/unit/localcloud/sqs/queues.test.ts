import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand,
  ReceiveMessageCommand, SendMessageCommand, type SQSClient,
} from "@aws-sdk/client-sqs";
import { startSqs, tempDataDir, type SqsFixture } from "./fixtures.ts";

async function receiveOne(client: SQSClient, queueUrl: string, waitSeconds: number) {
  const answer = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: waitSeconds, MessageSystemAttributeNames: ["All"] }));
  return answer.Messages?.[0];
}

describe("SQS through the AWS SDK (JSON protocol)", () => {
  let fx: SqsFixture;
  before(async () => {
    fx = await startSqs();
  });
  after(() => fx.close());

  test("CreateQueue, GetQueueUrl and ListQueues answer with public URLs; QueueArn uses region and account", async () => {
    const created = await fx.client.send(new CreateQueueCommand({ QueueName: "sdk-orders" }));
    assert.equal(created.QueueUrl, `${fx.ctx.endpoint}/000000000000/sdk-orders`);
    assert.equal((await fx.client.send(new GetQueueUrlCommand({ QueueName: "sdk-orders" }))).QueueUrl, created.QueueUrl);
    assert.deepEqual((await fx.client.send(new ListQueuesCommand({ QueueNamePrefix: "sdk-" }))).QueueUrls, [created.QueueUrl]);
    const attributes = await fx.client.send(new GetQueueAttributesCommand({ QueueUrl: created.QueueUrl, AttributeNames: ["QueueArn"] }));
    assert.equal(attributes.Attributes?.["QueueArn"], "arn:aws:sqs:us-east-1:000000000000:sdk-orders");
    assert.equal(fx.sqs.queueUrlForArn("arn:aws:sqs:us-east-1:000000000000:sdk-orders"), created.QueueUrl);
  });

  test("createQueue (the deployer's) is idempotent: the queue keeps its messages and takes new attributes", async () => {
    const first = await fx.sqs.createQueue("deployed", { VisibilityTimeout: "30" });
    await fx.client.send(new SendMessageCommand({ QueueUrl: first.queueUrl, MessageBody: "kept" }));
    const second = await fx.sqs.createQueue("deployed", { VisibilityTimeout: "45" });
    assert.deepEqual(second, first);
    const attributes = await fx.client.send(new GetQueueAttributesCommand({ QueueUrl: first.queueUrl, AttributeNames: ["VisibilityTimeout", "ApproximateNumberOfMessages"] }));
    assert.equal(attributes.Attributes?.["VisibilityTimeout"], "45");
    assert.equal(attributes.Attributes?.["ApproximateNumberOfMessages"], "1");
  });

  test("a message received 3 times without being deleted moves to the dead-letter queue", async () => {
    const dlq = await fx.sqs.createQueue("redrive-dlq", {});
    const queue = await fx.sqs.createQueue("redrive", {
      VisibilityTimeout: "1",
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: 3 }),
    });
    await fx.client.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: "poison" }));
    const counts: string[] = [];
    for (let receive = 0; receive < 3; receive++) {
      const message = await receiveOne(fx.client, queue.queueUrl, 5);
      counts.push(message?.Attributes?.["ApproximateReceiveCount"] ?? "none");
    }
    assert.deepEqual(counts, ["1", "2", "3"]);
    // The fourth receive finds the message over its limit and moves it instead of delivering it.
    assert.equal(await receiveOne(fx.client, queue.queueUrl, 2), undefined);
    const dead = await receiveOne(fx.client, dlq.queueUrl, 5);
    assert.equal(dead?.Body, "poison");
  });

  test("FIFO: content-based de-duplication and in-order delivery within a message group", async () => {
    const fifo = await fx.sqs.createQueue("orders.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" });
    for (const body of ["a1", "a2", "a3", "a1"]) {
      await fx.client.send(new SendMessageCommand({ QueueUrl: fifo.queueUrl, MessageBody: body, MessageGroupId: "user-1" }));
    }
    const delivered: string[] = [];
    for (;;) {
      const message = await receiveOne(fx.client, fifo.queueUrl, 0);
      if (!message) break;
      assert.equal(message.Attributes?.["MessageGroupId"], "user-1");
      assert.match(message.Attributes?.["SequenceNumber"] ?? "", /^\d+$/);
      delivered.push(message.Body ?? "");
      await fx.client.send(new DeleteMessageCommand({ QueueUrl: fifo.queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
    assert.deepEqual(delivered, ["a1", "a2", "a3"]);
  });

  test("FIFO: a group's next message is held back while one of its messages is in flight", async () => {
    const fifo = await fx.sqs.createQueue("held.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" });
    for (const body of ["g1", "g2"]) await fx.client.send(new SendMessageCommand({ QueueUrl: fifo.queueUrl, MessageBody: body, MessageGroupId: "g" }));
    const first = await fx.client.send(new ReceiveMessageCommand({ QueueUrl: fifo.queueUrl, MaxNumberOfMessages: 10 }));
    assert.deepEqual(first.Messages?.map((m) => m.Body), ["g1"]);
    assert.equal(await receiveOne(fx.client, fifo.queueUrl, 0), undefined);
  });

  test("long polling: a receive waiting on an empty queue gets a message sent while it waits", async () => {
    const queue = await fx.sqs.createQueue("long-poll", {});
    const waiting = receiveOne(fx.client, queue.queueUrl, 10);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await fx.client.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: "late" }));
    assert.equal((await waiting)?.Body, "late");
  });
});

describe("SQS account id other than fauxqs's own", () => {
  test("URLs, QueueArn and redrive policies use the cloud's account id", async () => {
    const fx = await startSqs({ accountId: "123456789012" });
    try {
      const dlq = await fx.sqs.createQueue("acct-dlq", {});
      assert.equal(dlq.queueArn, "arn:aws:sqs:us-east-1:123456789012:acct-dlq");
      const policy = JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: 1 });
      const queue = await fx.client.send(new CreateQueueCommand({ QueueName: "acct", Attributes: { VisibilityTimeout: "1", RedrivePolicy: policy } }));
      assert.equal(queue.QueueUrl, `${fx.ctx.endpoint}/123456789012/acct`);
      const attributes = await fx.client.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ["All"] }));
      assert.equal(attributes.Attributes?.["QueueArn"], "arn:aws:sqs:us-east-1:123456789012:acct");
      assert.equal(attributes.Attributes?.["RedrivePolicy"], policy);
      // The redrive policy still works, so the translation reached fauxqs.
      await fx.client.send(new SendMessageCommand({ QueueUrl: queue.QueueUrl, MessageBody: "m" }));
      assert.ok(await receiveOne(fx.client, queue.QueueUrl!, 5));
      assert.equal(await receiveOne(fx.client, queue.QueueUrl!, 2), undefined);
      assert.equal((await receiveOne(fx.client, dlq.queueUrl, 5))?.Body, "m");
    } finally {
      await fx.close();
    }
  });
});

describe("SQS persistence", () => {
  test("queues and messages survive a stop and start with the same data folder; reset starts empty", async () => {
    const dataDir = tempDataDir();
    try {
      const first = await startSqs({ dataDir: dataDir.path });
      const { queueUrl } = await first.sqs.createQueue("durable", { VisibilityTimeout: "12" });
      await first.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "survives" }));
      await first.close();

      const second = await startSqs({ dataDir: dataDir.path });
      try {
        const url = (await second.client.send(new GetQueueUrlCommand({ QueueName: "durable" }))).QueueUrl!;
        const attributes = await second.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["VisibilityTimeout"] }));
        assert.equal(attributes.Attributes?.["VisibilityTimeout"], "12");
        assert.equal((await receiveOne(second.client, url, 1))?.Body, "survives");
      } finally {
        await second.close();
      }

      const reset = await startSqs({ dataDir: dataDir.path, reset: true });
      try {
        assert.deepEqual((await reset.client.send(new ListQueuesCommand({}))).QueueUrls ?? [], []);
      } finally {
        await reset.close();
      }
    } finally {
      dataDir.remove();
    }
  });
});
