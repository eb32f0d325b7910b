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

  test("long polls that lose the race for a message keep waiting, as SQS's do, instead of answering empty at once", async () => {
    const queue = await fx.sqs.createQueue("consumer-herd", {});
    const started = performance.now();
    // Five pollers, as Lambda runs per queue, each waiting up to a second.
    const polls = Array.from({ length: 5 }, async () => {
      const messages = await fx.sqs.consumer.receive(queue.queueUrl, 10, 1, new AbortController().signal);
      return { messages: messages.length, afterMs: performance.now() - started };
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await fx.client.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: "one" }));
    const answers = await Promise.all(polls);
    assert.equal(answers.filter((a) => a.messages === 1).length, 1, "one poll got the message");
    const empty = answers.filter((a) => a.messages === 0);
    assert.equal(empty.length, 4);
    for (const answer of empty) assert.ok(answer.afterMs >= 950, `an empty answer came after its wait, not at the message (${answer.afterMs.toFixed(0)} ms)`);
  });
});
