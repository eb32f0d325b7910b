import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { DEBIAN_AWS_CLI, INSTALL_AWS_CLI } from "../../../../scripts/ensure-aws-cli.ts";
import { startSqs, type SqsFixture } from "./fixtures.ts";

const run = promisify(execFile);
/** Debian's aws CLI 2.9, which speaks SQS's query protocol (`npm test` installs it). */
const AWS = DEBIAN_AWS_CLI;

describe("SQS with Debian's aws CLI", () => {
  let fx: SqsFixture;
  const aws = async (...args: string[]): Promise<unknown> => {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "us-east-1", AWS_PAGER: "" };
    const { stdout } = await run(AWS, ["--endpoint-url", fx.server.url, "--output", "json", "sqs", ...args], { env });
    return stdout.trim() === "" ? {} : JSON.parse(stdout);
  };

  before(async () => {
    assert.ok(existsSync(AWS), `${AWS} is missing: ${INSTALL_AWS_CLI}`);
    fx = await startSqs();
  });
  after(() => fx?.close());

  test("create-queue, list-queues, send-message, receive-message and delete-message work", async () => {
    const created = (await aws("create-queue", "--queue-name", "cli-orders", "--attributes", "VisibilityTimeout=5")) as { QueueUrl: string };
    assert.equal(created.QueueUrl, `${fx.ctx.endpoint}/000000000000/cli-orders`);
    const listed = (await aws("list-queues")) as { QueueUrls: string[] };
    assert.deepEqual(listed.QueueUrls, [created.QueueUrl]);

    const sent = (await aws(
      "send-message", "--queue-url", created.QueueUrl, "--message-body", '{"ticker":"PETR4"}',
      "--message-attributes", '{"source":{"DataType":"String","StringValue":"cli"}}',
    )) as { MessageId: string; MD5OfMessageBody: string };
    assert.match(sent.MessageId, /\S/);

    const received = (await aws(
      "receive-message", "--queue-url", created.QueueUrl, "--attribute-names", "All", "--message-attribute-names", "All", "--wait-time-seconds", "1",
    )) as { Messages: Array<{ MessageId: string; Body: string; ReceiptHandle: string; Attributes: Record<string, string>; MessageAttributes: Record<string, { StringValue: string }> }> };
    const [message] = received.Messages;
    assert.ok(message);
    assert.equal(message.MessageId, sent.MessageId);
    assert.equal(message.Body, '{"ticker":"PETR4"}');
    assert.equal(message.Attributes["ApproximateReceiveCount"], "1");
    assert.equal(message.MessageAttributes["source"]?.StringValue, "cli");

    await aws("delete-message", "--queue-url", created.QueueUrl, "--receipt-handle", message.ReceiptHandle);
    const attributes = (await aws("get-queue-attributes", "--queue-url", created.QueueUrl, "--attribute-names", "All")) as { Attributes: Record<string, string> };
    assert.equal(attributes.Attributes["ApproximateNumberOfMessages"], "0");
    assert.equal(attributes.Attributes["ApproximateNumberOfMessagesNotVisible"], "0");
    assert.equal(attributes.Attributes["VisibilityTimeout"], "5");
  });

  test("a missing queue is reported with the CLI's own error for it", async () => {
    await assert.rejects(aws("get-queue-url", "--queue-name", "missing"), (error: unknown) => {
      const stderr = (error as { stderr?: string }).stderr ?? "";
      assert.match(stderr, /AWS\.SimpleQueueService\.NonExistentQueue/);
      return true;
    });
  });
});
