import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { SqsEventSourceMappings } from "../../../../localcloud/eventsources/index.ts";
import { startSqs, type SqsFixture } from "../sqs/fixtures.ts";
import { eventually, FakeLambda, mapping, ok, unhandled } from "./fixtures.ts";

async function messagesLeft(client: SQSClient, queueUrl: string): Promise<number> {
  const answer = await client.send(new GetQueueAttributesCommand({
    QueueUrl: queueUrl,
    AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
  }));
  return Number(answer.Attributes?.["ApproximateNumberOfMessages"]) + Number(answer.Attributes?.["ApproximateNumberOfMessagesNotVisible"]);
}

async function sendAll(client: SQSClient, queueUrl: string, bodies: string[], groupId?: string): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < bodies.length; start += 10) {
    const entries = bodies.slice(start, start + 10).map((body, index) => ({ Id: String(index), MessageBody: body, MessageGroupId: groupId }));
    const answer = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    ids.push(...(answer.Successful ?? []).sort((a, b) => Number(a.Id) - Number(b.Id)).map((entry) => entry.MessageId ?? ""));
  }
  return ids;
}

describe("SQS event-source mappings", () => {
  let fx: SqsFixture;
  before(async () => {
    fx = await startSqs();
  });
  after(() => fx.close());

  test("the function gets Lambda's SQS event and the handled message is deleted", async () => {
    const queue = await fx.sqs.createQueue("es-shape", {});
    const lambda = new FakeLambda(() => ok());
    const mappings = new SqsEventSourceMappings(fx.ctx, fx.sqs, lambda);
    try {
      const sent = await fx.client.send(new SendMessageCommand({
        QueueUrl: queue.queueUrl,
        MessageBody: '{"orderId":"o-1"}',
        MessageAttributes: { correlationId: { DataType: "String", StringValue: "c-1" }, blob: { DataType: "Binary", BinaryValue: Buffer.from("hi") } },
      }));
      mappings.add(mapping(queue.queueArn, { functionName: "process-order" }));
      await lambda.until(() => lambda.invocations.length > 0);
      const [invocation] = lambda.invocations;
      assert.equal(invocation?.functionName, "process-order");
      assert.equal(invocation?.invocationType, "RequestResponse");
      const [record] = invocation?.records ?? [];
      assert.ok(record);
      assert.equal(record.messageId, sent.MessageId);
      assert.equal(record.body, '{"orderId":"o-1"}');
      assert.equal(record.md5OfBody, sent.MD5OfMessageBody);
      assert.equal(record.eventSource, "aws:sqs");
      assert.equal(record.eventSourceARN, queue.queueArn);
      assert.equal(record.awsRegion, "us-east-1");
      assert.deepEqual(Object.keys(record.attributes).sort(), ["ApproximateFirstReceiveTimestamp", "ApproximateReceiveCount", "SenderId", "SentTimestamp"]);
      assert.equal(record.attributes["ApproximateReceiveCount"], "1");
      assert.deepEqual(record.messageAttributes, {
        correlationId: { stringValue: "c-1", stringListValues: [], binaryListValues: [], dataType: "String" },
        blob: { binaryValue: Buffer.from("hi").toString("base64"), stringListValues: [], binaryListValues: [], dataType: "Binary" },
      });
      assert.match(record.receiptHandle, /\S/);
      await eventually(async () => assert.equal(await messagesLeft(fx.client, queue.queueUrl), 0));
      assert.deepEqual(mappings.list().map((m) => m.functionName), ["process-order"]);
    } finally {
      await mappings.stop();
    }
  });

  test("a message the function keeps failing lands in the dead-letter queue after 3 receives", async () => {
    const dlq = await fx.sqs.createQueue("es-poison-dlq", {});
    const queue = await fx.sqs.createQueue("es-poison", {
      VisibilityTimeout: "1",
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: 3 }),
    });
    const lambda = new FakeLambda(() => unhandled("price source down"));
    const mappings = new SqsEventSourceMappings(fx.ctx, fx.sqs, lambda);
    try {
      mappings.add(mapping(queue.queueArn));
      await fx.client.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: "poison" }));
      const dead = await fx.client.send(new ReceiveMessageCommand({ QueueUrl: dlq.queueUrl, WaitTimeSeconds: 15 }));
      assert.equal(dead.Messages?.[0]?.Body, "poison");
      assert.deepEqual(lambda.records().map((r) => r.attributes["ApproximateReceiveCount"]), ["1", "2", "3"]);
      assert.ok(fx.logs.some((line) => line.startsWith("event-source:") && line.includes("function error")));
    } finally {
      await mappings.stop();
    }
  });

  test("a partial batch failure deletes only the records the function did not report", async () => {
    const queue = await fx.sqs.createQueue("es-partial", { VisibilityTimeout: "1" });
    const bodies = ["ok-1", "fail-1", "ok-2", "fail-2", "ok-3"];
    // Fails each "fail-" record on its first delivery only, reporting it by message id.
    const lambda = new FakeLambda((records) => ok({
      batchItemFailures: records
        .filter((r) => r.body.startsWith("fail-") && r.attributes["ApproximateReceiveCount"] === "1")
        .map((r) => ({ itemIdentifier: r.messageId })),
    }));
    const mappings = new SqsEventSourceMappings(fx.ctx, fx.sqs, lambda);
    try {
      await sendAll(fx.client, queue.queueUrl, bodies);
      mappings.add(mapping(queue.queueArn));
      await eventually(async () => assert.equal(await messagesLeft(fx.client, queue.queueUrl), 0));
      const deliveries = lambda.records().map((r) => `${r.body}#${r.attributes["ApproximateReceiveCount"]}`).sort();
      assert.deepEqual(deliveries, ["fail-1#1", "fail-1#2", "fail-2#1", "fail-2#2", "ok-1#1", "ok-2#1", "ok-3#1"]);
    } finally {
      await mappings.stop();
    }
  });

  test("a batchItemFailures entry naming no record of the batch fails the whole batch", async () => {
    const queue = await fx.sqs.createQueue("es-invalid-response", { VisibilityTimeout: "1" });
    const lambda = new FakeLambda((records) =>
      records[0]?.attributes["ApproximateReceiveCount"] === "1" ? ok({ batchItemFailures: [{ itemIdentifier: "not-in-this-batch" }] }) : ok({ batchItemFailures: [] }),
    );
    const mappings = new SqsEventSourceMappings(fx.ctx, fx.sqs, lambda);
    try {
      await sendAll(fx.client, queue.queueUrl, ["a", "b"]);
      mappings.add(mapping(queue.queueArn, { maximumConcurrency: 2 }));
      await eventually(async () => assert.equal(await messagesLeft(fx.client, queue.queueUrl), 0));
      const deliveries = lambda.records().map((r) => `${r.body}#${r.attributes["ApproximateReceiveCount"]}`).sort();
      assert.deepEqual(deliveries, ["a#1", "a#2", "b#1", "b#2"]);
    } finally {
      await mappings.stop();
    }
  });

  test("with a batching window, batches larger than 10 are gathered from several receives", async () => {
    const queue = await fx.sqs.createQueue("es-window", {});
    const lambda = new FakeLambda(() => ok());
    const mappings = new SqsEventSourceMappings(fx.ctx, fx.sqs, lambda);
    try {
      const bodies = Array.from({ length: 25 }, (_, index) => `m${index}`);
      await sendAll(fx.client, queue.queueUrl, bodies);
      mappings.add(mapping(queue.queueArn, { batchSize: 25, maximumBatchingWindowSeconds: 1, maximumConcurrency: 1 }));
      await lambda.until(() => lambda.invocations.length > 0);
      assert.deepEqual(lambda.invocations[0]?.records.map((r) => r.body).sort(), [...bodies].sort());
    } finally {
      await mappings.stop();
    }
  });

  test("FIFO: each group's messages reach the function in order, never two batches of a group at once", async () => {
    const queue = await fx.sqs.createQueue("es-orders.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" });
    const active = new Set<string>();
    const overlaps: string[] = [];
    const seen = new Map<string, string[]>();
    const lambda = new FakeLambda(async (records) => {
      const groups = new Set(records.map((r) => r.attributes["MessageGroupId"] ?? "?"));
      for (const group of groups) {
        if (active.has(group)) overlaps.push(group);
        active.add(group);
      }
      for (const r of records) seen.set(r.attributes["MessageGroupId"] ?? "?", [...(seen.get(r.attributes["MessageGroupId"] ?? "?") ?? []), r.body]);
      await new Promise((resolve) => setTimeout(resolve, 5));
      for (const group of groups) active.delete(group);
      return ok();
    });
    const mappings = new SqsEventSourceMappings(fx.ctx, fx.sqs, lambda);
    try {
      mappings.add(mapping(queue.queueArn));
      const expected: Record<string, string[]> = {};
      for (const group of ["user-1", "user-2", "user-3"]) {
        expected[group] = Array.from({ length: 8 }, (_, index) => `${group}:${index}`);
        await sendAll(fx.client, queue.queueUrl, expected[group], group);
      }
      await lambda.until(() => lambda.records().length >= 24);
      assert.deepEqual(Object.fromEntries(seen), expected);
      assert.deepEqual(overlaps, []);
      const sample = lambda.records()[0];
      assert.deepEqual(
        Object.keys(sample?.attributes ?? {}).sort(),
        ["ApproximateFirstReceiveTimestamp", "ApproximateReceiveCount", "MessageDeduplicationId", "MessageGroupId", "SenderId", "SentTimestamp", "SequenceNumber"],
      );
    } finally {
      await mappings.stop();
    }
  });

  test("stop() waits for the batch in flight, which is then deleted", async () => {
    const queue = await fx.sqs.createQueue("es-stop", {});
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let started: () => void = () => {};
    const invoked = new Promise<void>((resolve) => (started = resolve));
    const lambda = new FakeLambda(async () => {
      started();
      await released;
      return ok();
    });
    const mappings = new SqsEventSourceMappings(fx.ctx, fx.sqs, lambda);
    mappings.add(mapping(queue.queueArn));
    await fx.client.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: "in flight" }));
    await invoked;
    let stopped = false;
    const stopping = mappings.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(stopped, false, "stop() returned while the function was still running");
    release();
    await stopping;
    assert.equal(await messagesLeft(fx.client, queue.queueUrl), 0);
  });

  test("polling errors are logged and retried; a disabled mapping does not poll", async () => {
    const lambda = new FakeLambda(() => ok());
    const mappings = new SqsEventSourceMappings(fx.ctx, fx.sqs, lambda);
    try {
      const arn = "arn:aws:sqs:us-east-1:000000000000:es-late";
      mappings.add(mapping(arn));
      await eventually(async () => assert.ok(fx.logs.some((line) => line.includes("es-late") && line.includes("polling failed"))));
      const disabled = await fx.sqs.createQueue("es-disabled", {});
      mappings.add(mapping(disabled.queueArn, { enabled: false }));
      await fx.client.send(new SendMessageCommand({ QueueUrl: disabled.queueUrl, MessageBody: "stays" }));

      const late = await fx.sqs.createQueue("es-late", {});
      await fx.client.send(new SendMessageCommand({ QueueUrl: late.queueUrl, MessageBody: "after all" }));
      await lambda.until(() => lambda.records().length > 0);
      assert.deepEqual(lambda.records().map((r) => r.body), ["after all"]);
      assert.equal(await messagesLeft(fx.client, disabled.queueUrl), 1);
      assert.equal(mappings.list().length, 2);
    } finally {
      await mappings.stop();
    }
  });
});
