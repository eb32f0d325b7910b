/**
 * SNS publishes and EventBridge events as `GET /_localcloud/metrics` reports them, after
 * real SDK calls to an in-memory local cloud.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { CreateEventBusCommand, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { CreateTopicCommand, PublishBatchCommand, PublishCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import type { UsageSnapshot } from "../../../../localcloud/metering/usage.ts";
import { credentials, startCloud, type CloudFixture } from "../sns/cloud-fixture.ts";

describe("metering SNS and EventBridge", () => {
  let fixture: CloudFixture;
  let topicArn: string;

  const metrics = async (): Promise<UsageSnapshot> => {
    const response = await fetch(`${fixture.cloud.endpoint}/_localcloud/metrics`);
    assert.equal(response.status, 200);
    return (await response.json()) as UsageSnapshot;
  };

  before(async () => {
    fixture = await startCloud();
    topicArn = (await fixture.sns.send(new CreateTopicCommand({ Name: "OrderEvents" }))).TopicArn ?? "";
    const { QueueUrl = "" } = await fixture.sqs.send(new CreateQueueCommand({ QueueName: "audit" }));
    const { Attributes = {} } = await fixture.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
    await fixture.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: Attributes.QueueArn }));
    await fixture.events.send(new CreateEventBusCommand({ Name: "compliance" }));
  });
  beforeEach(async () => {
    assert.equal((await fetch(`${fixture.cloud.endpoint}/_localcloud/metrics/reset`, { method: "POST" })).status, 200);
  });
  after(async () => {
    await fixture?.stop();
  });

  it("counts each published message, a message over 64 KB as two requests, by topic and action", async () => {
    await fixture.sns.send(new PublishCommand({ TopicArn: topicArn, Message: "x".repeat(70 * 1024) }));
    await fixture.sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: [1, 2, 3].map((n) => ({ Id: String(n), Message: `m${n}` })) }));
    const rows = (await metrics()).sns ?? [];
    assert.deepEqual(
      rows.filter((row) => row.caller === credentials.accessKeyId).sort((a, b) => a.action.localeCompare(b.action)),
      [
        { caller: "test", topic: "OrderEvents", fifo: false, action: "Publish", requests: 1, messages: 1, billedRequests: 2 },
        { caller: "test", topic: "OrderEvents", fifo: false, action: "PublishBatch", requests: 1, messages: 3, billedRequests: 3 },
      ],
    );
  });

  it("does not count a publish that failed, nor other SNS calls", async () => {
    await assert.rejects(fixture.sns.send(new PublishCommand({ TopicArn: `${topicArn}-missing`, Message: "m" })));
    await fixture.sns.send(new CreateTopicCommand({ Name: "Other" }));
    assert.deepEqual((await metrics()).sns, []);
  });

  it("counts the events each PutEvents put, by bus, and not the entries it refused", async () => {
    const answer = await fixture.events.send(
      new PutEventsCommand({
        Entries: [
          { Source: "brokerage.orders", DetailType: "Large order", Detail: JSON.stringify({ amount: 1 }), EventBusName: "compliance" },
          { Source: "brokerage.orders", DetailType: "Large order", Detail: JSON.stringify({ pad: "x".repeat(65 * 1024) }), EventBusName: "compliance" },
          { Source: "brokerage.orders", DetailType: "Order", Detail: "{}" },
          { Source: "brokerage.orders", DetailType: "Broken", Detail: "not json" },
        ],
      }),
    );
    assert.equal(answer.FailedEntryCount, 1);
    const rows = ((await metrics()).eventbridge ?? []).filter((row) => row.caller === credentials.accessKeyId).sort((a, b) => a.bus.localeCompare(b.bus));
    assert.deepEqual(rows, [
      { caller: "test", bus: "compliance", requests: 1, events: 2, billedEvents: 3 },
      { caller: "test", bus: "default", requests: 1, events: 1, billedEvents: 1 },
    ]);
  });

  it("forgets SNS and EventBridge counters on reset", async () => {
    await fixture.sns.send(new PublishCommand({ TopicArn: topicArn, Message: "m" }));
    await fixture.events.send(new PutEventsCommand({ Entries: [{ Source: "s", DetailType: "d", Detail: "{}" }] }));
    assert.equal((await metrics()).sns?.length, 1);
    await fetch(`${fixture.cloud.endpoint}/_localcloud/metrics/reset`, { method: "POST" });
    const snapshot = await metrics();
    assert.deepEqual([snapshot.sns, snapshot.eventbridge], [[], []]);
  });
});
