import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CreateTopicCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, PublishBatchCommand, PublishCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { drain, receivedAtLeast, recorder, startCloud, tempDir, type CloudFixture } from "./cloud-fixture.ts";

async function queue(fixture: CloudFixture, name: string, fifo = false): Promise<{ url: string; arn: string }> {
  const attributes = fifo ? { FifoQueue: "true" } : undefined;
  const { QueueUrl = "" } = await fixture.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await fixture.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  return { url: QueueUrl, arn: Attributes?.QueueArn ?? "" };
}

describe("SNS: a topic fanned out to queues and functions", () => {
  let fixture: CloudFixture;
  const root = tempDir("sns-fanout-");
  before(async () => {
    fixture = await startCloud();
  });
  after(async () => {
    await fixture.stop();
    root.remove();
  });

  test("two queues with different filter policies, raw and wrapped, get only what they asked for", async () => {
    const { TopicArn = "" } = await fixture.sns.send(new CreateTopicCommand({ Name: "OrderEvents" }));
    assert.equal(TopicArn, "arn:aws:sns:us-east-1:000000000000:OrderEvents");
    const filled = await queue(fixture, "filled");
    const large = await queue(fixture, "large");
    await fixture.sns.send(new SubscribeCommand({
      TopicArn, Protocol: "sqs", Endpoint: filled.arn,
      Attributes: { RawMessageDelivery: "true", FilterPolicy: JSON.stringify({ status: ["FILLED"] }) },
    }));
    await fixture.sns.send(new SubscribeCommand({
      TopicArn, Protocol: "sqs", Endpoint: large.arn,
      Attributes: { FilterPolicyScope: "MessageBody", FilterPolicy: JSON.stringify({ amount: [{ numeric: [">=", 10000] }] }) },
    }));

    const publish = (status: string, amount: number) =>
      fixture.sns.send(new PublishCommand({
        TopicArn,
        Message: JSON.stringify({ orderId: `o-${status}-${amount}`, amount }),
        Subject: "order",
        MessageAttributes: { status: { DataType: "String", StringValue: status } },
      }));
    await publish("ACCEPTED", 50);
    await publish("FILLED", 50);
    await publish("REJECTED", 20000);

    const raw = await drain(fixture.sqs, filled.url);
    assert.deepEqual(raw.map((m) => JSON.parse(m.Body ?? "").orderId), ["o-FILLED-50"]);
    assert.equal(raw[0]?.MessageAttributes?.["status"]?.StringValue, "FILLED", "raw delivery keeps the attributes as SQS attributes");

    const wrapped = await drain(fixture.sqs, large.url);
    assert.equal(wrapped.length, 1);
    const envelope = JSON.parse(wrapped[0]?.Body ?? "") as Record<string, unknown>;
    assert.equal(envelope["Type"], "Notification");
    assert.equal(envelope["TopicArn"], TopicArn);
    assert.equal(envelope["Subject"], "order");
    assert.equal(JSON.parse(String(envelope["Message"])).orderId, "o-REJECTED-20000");
    assert.deepEqual(envelope["MessageAttributes"], { status: { Type: "String", Value: "REJECTED" } });
  });

  test("a lambda subscription invokes the function with SNS's event, after its filter policy", async () => {
    const { TopicArn = "" } = await fixture.sns.send(new CreateTopicCommand({ Name: "Audit" }));
    const audit = recorder(fixture.cloud, root.path, "audit");
    await fixture.sns.send(new SubscribeCommand({ TopicArn, Protocol: "lambda", Endpoint: audit.arn, Attributes: { FilterPolicy: JSON.stringify({ kind: ["audit"] }) } }));
    await fixture.sns.send(new PublishCommand({ TopicArn, Message: "skipped", MessageAttributes: { kind: { DataType: "String", StringValue: "other" } } }));
    await fixture.sns.send(new PublishBatchCommand({
      TopicArn,
      PublishBatchRequestEntries: [{ Id: "a", Message: "kept", MessageAttributes: { kind: { DataType: "String", StringValue: "audit" } } }],
    }));
    const [event] = (await receivedAtLeast(audit, 1)) as Array<{ Records: Array<{ EventSource: string; Sns: Record<string, unknown> }> }>;
    assert.equal(audit.received().length, 1);
    assert.equal(event?.Records[0]?.EventSource, "aws:sns");
    assert.equal(event?.Records[0]?.Sns["Message"], "kept");
    assert.equal(event?.Records[0]?.Sns["TopicArn"], TopicArn);
    assert.deepEqual(event?.Records[0]?.Sns["MessageAttributes"], { kind: { Type: "String", Value: "audit" } });
  });

  test("a FIFO topic delivers to a FIFO queue with its group", async () => {
    const { TopicArn = "" } = await fixture.sns.send(new CreateTopicCommand({ Name: "Orders.fifo", Attributes: { FifoTopic: "true", ContentBasedDeduplication: "true" } }));
    const fifo = await queue(fixture, "orders-events.fifo", true);
    await fixture.sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: fifo.arn, Attributes: { RawMessageDelivery: "true" } }));
    await fixture.sns.send(new PublishCommand({ TopicArn, Message: "first", MessageGroupId: "user-1" }));
    await fixture.sns.send(new PublishCommand({ TopicArn, Message: "first", MessageGroupId: "user-1" }));
    const messages = await drain(fixture.sqs, fifo.url);
    assert.deepEqual(messages.map((m) => m.Body), ["first"], "the duplicate is dropped by content-based de-duplication");
  });
});

test("SNS: topics and subscriptions survive a restart, with the queues", async () => {
  const data = tempDir("sns-persist-");
  try {
    const first = await startCloud(data.path);
    const { TopicArn = "" } = await first.sns.send(new CreateTopicCommand({ Name: "Kept", Attributes: { DisplayName: "kept" } }));
    const target = await queue(first, "kept-queue");
    await first.sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: target.arn, Attributes: { RawMessageDelivery: "true" } }));
    await first.stop();

    const second = await startCloud(data.path);
    try {
      const { Subscriptions = [] } = await second.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
      assert.deepEqual(Subscriptions.map((s) => s.Endpoint), [target.arn]);
      const { Attributes } = await second.sns.send(new GetTopicAttributesCommand({ TopicArn }));
      assert.equal(Attributes?.["DisplayName"], "kept");
      await second.sns.send(new PublishCommand({ TopicArn, Message: "after restart" }));
      assert.deepEqual((await drain(second.sqs, target.url)).map((m) => m.Body), ["after restart"]);
    } finally {
      await second.stop();
    }
  } finally {
    data.remove();
  }
});
