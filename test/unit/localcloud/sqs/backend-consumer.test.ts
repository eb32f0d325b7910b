import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { startSqs, type SqsFixture } from "./fixtures.ts";

/** The event-source pollers' receive and delete, served in-process by the SQS backend. */
describe("SQS backend consumer", () => {
  let fx: SqsFixture;
  before(async () => {
    fx = await startSqs();
  });
  after(() => fx.close());

  test("a long poll gives up as soon as its signal aborts, long before its wait time", async () => {
    const queue = await fx.sqs.createQueue("consumer-abort", {});
    const abort = new AbortController();
    const started = performance.now();
    setTimeout(() => abort.abort(), 100);
    await assert.rejects(fx.sqs.consumer.receive(queue.queueUrl, 10, 20, abort.signal), { name: "AbortError" });
    assert.ok(performance.now() - started < 5000, "did not wait for the 20 s long poll");
  });

  test("receives a message with its attributes in the JSON protocol's shape and deletes it", async () => {
    const queue = await fx.sqs.createQueue("consumer-roundtrip", {});
    await fx.client.send(
      new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: "hello", MessageAttributes: { blob: { DataType: "Binary", BinaryValue: Buffer.from("hi") } } }),
    );
    const [message] = await fx.sqs.consumer.receive(queue.queueUrl, 10, 5, new AbortController().signal);
    assert.equal(message?.Body, "hello");
    assert.equal(message?.MessageAttributes?.["blob"]?.BinaryValue, Buffer.from("hi").toString("base64"));
    assert.equal(message?.Attributes?.["ApproximateReceiveCount"], "1");
    const failed = await fx.sqs.consumer.deleteBatch(queue.queueUrl, [{ Id: "0", ReceiptHandle: message?.ReceiptHandle ?? "" }]);
    assert.deepEqual(failed, []);
    assert.deepEqual(await fx.sqs.consumer.receive(queue.queueUrl, 10, 0, new AbortController().signal), [], "the deleted message is gone");
  });
});
