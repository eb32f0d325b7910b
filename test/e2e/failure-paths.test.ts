import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startTarget, targetName, waitFor, type E2eTarget } from "./support/target.ts";

/**
 * The failure paths of the pipeline's plumbing, on a fixture stack whose functions
 * fail on purpose: what SQS and Lambda do with them must match AWS.
 */
describe(`failure paths on ${targetName}`, () => {
  let target: E2eTarget;
  let sqs: SQSClient;
  let outputs: Record<string, string>;

  before(async () => {
    target = await startTarget({ fixtures: true });
    const fixture = target.outputs.FailureFixture;
    assert.ok(fixture, "the FailureFixture stack is deployed");
    outputs = { ...fixture };
    sqs = new SQSClient({ endpoint: target.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  });
  after(async () => {
    sqs?.destroy();
    await target?.stop();
  });

  /** Drains a dead-letter queue and returns the bodies it held with their receive counts. */
  async function drain(queueUrl: string, expected: number): Promise<{ body: string; receiveCount: number }[]> {
    const found: { body: string; receiveCount: number }[] = [];
    await waitFor(`${expected} message(s) in ${queueUrl}`, async () => {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ["ApproximateReceiveCount"] }),
      );
      for (const message of Messages) {
        found.push({ body: message.Body ?? "", receiveCount: Number(message.Attributes?.ApproximateReceiveCount) });
      }
      if (Messages.length > 0) {
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
      }
      return found.length >= expected ? found : undefined;
    }, 60_000);
    return found;
  }

  test("a function that always throws is retried, and its message reaches the DLQ after 3 receives", async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: outputs.AlwaysFailsQueueUrl, MessageBody: "poison" }));
    const parked = await drain(String(outputs.AlwaysFailsDeadLetterQueueUrl), 1);
    assert.deepEqual(parked.map((m) => m.body), ["poison"]);
    if (target.name === "localcloud") {
      const attempts = target.logs.filter((line) => line.includes("failing on purpose") && line.includes('"body":"poison"'));
      assert.equal(attempts.length, 3, `three attempts were logged, saw:\n${attempts.join("\n")}`);
    }
  });

  test("a partial batch failure retries only the failed records", async () => {
    const bodies = ["ok-1", "fail-1", "ok-2", "fail-2", "ok-3"];
    await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: outputs.PartialFailureQueueUrl, Entries: bodies.map((body, i) => ({ Id: String(i), MessageBody: body })) }),
    );
    const parked = await drain(String(outputs.PartialFailureDeadLetterQueueUrl), 2);
    assert.deepEqual(parked.map((m) => m.body).sort(), ["fail-1", "fail-2"]);
    if (target.name === "localcloud") {
      for (const body of ["ok-1", "ok-2", "ok-3"]) {
        const processed = target.logs.filter((line) => line.includes('"message":"processed"') && line.includes(`"body":"${body}"`));
        assert.equal(processed.length, 1, `${body} was processed exactly once`);
      }
    }
  });

  test("a function that runs past its timeout fails the batch, which is retried and dead-lettered", async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: outputs.TimesOutQueueUrl, MessageBody: "sleep" }));
    const parked = await drain(String(outputs.TimesOutDeadLetterQueueUrl), 1);
    assert.deepEqual(parked.map((m) => m.body), ["sleep"]);
    if (target.name === "localcloud") {
      assert.ok(target.logs.some((line) => line.includes("Task timed out after 1.00 seconds")), "the timeout is logged as Lambda logs it");
    }
  });
});
