import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { GetQueueAttributesCommand, SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { mergeDeliveries } from "../../../../localcloud/eventsources/batch-outcome.ts";
import { DuplicateDeliveries } from "../../../../localcloud/eventsources/event-source-faults.ts";
import { SqsEventSourceMappings } from "../../../../localcloud/eventsources/index.ts";
import type { SqsEventRecord } from "../../../../localcloud/eventsources/sqs-event.ts";
import { seededRandom } from "../../../../localcloud/lambda/fault-injection.ts";
import { startSqs, type SqsFixture } from "../sqs/fixtures.ts";
import { eventually, FakeLambda, mapping, ok, type Invocation } from "./fixtures.ts";

async function messagesLeft(client: SQSClient, queueUrl: string): Promise<number> {
  const answer = await client.send(new GetQueueAttributesCommand({
    QueueUrl: queueUrl,
    AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
  }));
  return Number(answer.Attributes?.["ApproximateNumberOfMessages"]) + Number(answer.Attributes?.["ApproximateNumberOfMessagesNotVisible"]);
}

async function send(client: SQSClient, queueUrl: string, bodies: string[]): Promise<void> {
  await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: bodies.map((body, index) => ({ Id: String(index), MessageBody: body })) }));
}

/** Invocations grouped by the receipt handles they carried. */
function byReceipts(invocations: readonly Invocation[]): Map<string, Invocation[]> {
  const groups = new Map<string, Invocation[]>();
  for (const invocation of invocations) {
    const key = invocation.records.map((record) => record.receiptHandle).sort().join(" ");
    groups.set(key, [...(groups.get(key) ?? []), invocation]);
  }
  return groups;
}

const record = (messageId: string): SqsEventRecord => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body: "",
  attributes: {},
  messageAttributes: {},
  md5OfBody: "",
  eventSource: "aws:sqs",
  eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:q",
  awsRegion: "us-east-1",
});

describe("duplicate deliveries for chaos runs", () => {
  let fx: SqsFixture;
  before(async () => {
    fx = await startSqs();
  });
  after(() => fx.close());

  const chaosLines = () => fx.logs.filter((line) => line.startsWith("chaos: "));

  test("with duplicateRate 1 every batch reaches the function twice with the same records, and is deleted once handled", async () => {
    const queue = await fx.sqs.createQueue("dup-always", {});
    const lambda = new FakeLambda(() => ok());
    const mappings = new SqsEventSourceMappings(fx.ctx, fx.sqs, lambda, { faults: { duplicateRate: 1 } });
    const chaosBefore = chaosLines().length;
    try {
      await send(fx.client, queue.queueUrl, ["a", "b", "c"]);
      mappings.add(mapping(queue.queueArn));
      await lambda.until(() => lambda.records().length >= 6);
      await eventually(async () => assert.equal(await messagesLeft(fx.client, queue.queueUrl), 0));

      const groups = [...byReceipts(lambda.invocations).values()];
      assert.ok(groups.every((group) => group.length === 2), "each batch was delivered exactly twice");
      for (const [first, second] of groups) assert.deepEqual(second?.records, first?.records);
      assert.deepEqual(lambda.records().map((r) => r.body).sort(), ["a", "a", "b", "b", "c", "c"]);
      const injected = chaosLines().slice(chaosBefore);
      assert.equal(injected.length, groups.length);
      assert.ok(injected.every((line) => line.includes("injected duplicate")));
    } finally {
      await mappings.stop();
    }
  });

  test("without faults (the default, or rate 0) each batch is delivered once", async () => {
    const chaosBefore = chaosLines().length;
    for (const [name, options] of [["dup-default", {}], ["dup-zero", { faults: { duplicateRate: 0 } }]] as const) {
      const queue = await fx.sqs.createQueue(name, {});
      const lambda = new FakeLambda(() => ok());
      const mappings = new SqsEventSourceMappings(fx.ctx, fx.sqs, lambda, options);
      try {
        await send(fx.client, queue.queueUrl, ["a", "b", "c"]);
        mappings.add(mapping(queue.queueArn));
        await lambda.until(() => lambda.records().length >= 3);
        await eventually(async () => assert.equal(await messagesLeft(fx.client, queue.queueUrl), 0));
        assert.deepEqual(lambda.records().map((r) => r.body).sort(), ["a", "b", "c"]);
      } finally {
        await mappings.stop();
      }
    }
    assert.equal(chaosLines().length, chaosBefore);
  });

  test("a record handled by either delivery is done; one neither handled stays failed", () => {
    const [a, b, c] = [record("a"), record("b"), record("c")];
    const merged = mergeDeliveries([a, b, c], [
      { succeeded: [a], failed: [b, c] },
      { succeeded: [], failed: [a, b, c], reason: "function error (Unhandled)" },
    ]);
    assert.deepEqual(merged, { succeeded: [a], failed: [b, c] });
    const allFailed = mergeDeliveries([a], [{ succeeded: [], failed: [a], reason: "x" }, { succeeded: [], failed: [a], reason: "x" }]);
    assert.deepEqual(allFailed, { succeeded: [], failed: [a], reason: "x" });
  });

  test("seeded decisions repeat, and a rate outside 0–1 is refused", () => {
    const decisions = () => {
      const duplicates = new DuplicateDeliveries({ duplicateRate: 0.5, random: seededRandom(9) });
      return Array.from({ length: 16 }, () => duplicates.next());
    };
    assert.deepEqual(decisions(), decisions());
    assert.ok(decisions().includes(true) && decisions().includes(false));
    assert.throws(() => new DuplicateDeliveries({ duplicateRate: 2 }), RangeError);
  });
});
