import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  CreateEventBusCommand, DeleteEventBusCommand, DeleteRuleCommand, DescribeEventBusCommand, ListEventBusesCommand, ListRulesCommand,
  ListTargetsByRuleCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import { drain, receivedAtLeast, recorder, startCloud, tempDir, type CloudFixture } from "../sns/cloud-fixture.ts";

const LARGE_ORDERS = JSON.stringify({ source: ["brokerage.orders"], "detail-type": ["OrderFilled"], detail: { amount: [{ numeric: [">=", 10000] }] } });

const order = (amount: number, bus = "compliance") => ({
  EventBusName: bus, Source: "brokerage.orders", DetailType: "OrderFilled", Detail: JSON.stringify({ orderId: `o-${amount}`, amount }),
});

describe("EventBridge: a custom bus, a pattern rule, SQS and Lambda targets", () => {
  let fixture: CloudFixture;
  const root = tempDir("events-bus-");
  before(async () => {
    fixture = await startCloud();
  });
  after(async () => {
    await fixture.stop();
    root.remove();
  });

  test("matching events reach the queue and the function; others reach neither", async () => {
    const { EventBusArn } = await fixture.events.send(new CreateEventBusCommand({ Name: "compliance" }));
    assert.equal(EventBusArn, "arn:aws:events:us-east-1:000000000000:event-bus/compliance");
    const { QueueUrl = "" } = await fixture.sqs.send(new CreateQueueCommand({ QueueName: "alerts" }));
    const alerts = recorder(fixture.cloud, root.path, "alerts");
    const { RuleArn } = await fixture.events.send(new PutRuleCommand({ Name: "large", EventBusName: "compliance", EventPattern: LARGE_ORDERS }));
    assert.equal(RuleArn, "arn:aws:events:us-east-1:000000000000:rule/compliance/large");
    await fixture.events.send(new PutTargetsCommand({
      Rule: "large", EventBusName: "compliance",
      Targets: [
        { Id: "queue", Arn: "arn:aws:sqs:us-east-1:000000000000:alerts" },
        { Id: "fn", Arn: alerts.arn, InputPath: "$.detail" },
      ],
    }));

    const put = await fixture.events.send(new PutEventsCommand({ Entries: [order(50), order(25000), { ...order(99999), Detail: "not json" }, order(30000, "nowhere")] }));
    assert.equal(put.FailedEntryCount, 2);
    assert.ok(put.Entries?.[0]?.EventId && put.Entries[1]?.EventId);
    assert.equal(put.Entries?.[2]?.ErrorCode, "MalformedDetail");
    assert.equal(put.Entries?.[3]?.ErrorCode, "InvalidArgument");

    const messages = await drain(fixture.sqs, QueueUrl);
    assert.equal(messages.length, 1);
    const delivered = JSON.parse(messages[0]?.Body ?? "") as Record<string, unknown>;
    assert.equal(delivered["id"], put.Entries?.[1]?.EventId);
    assert.equal(delivered["detail-type"], "OrderFilled");
    assert.deepEqual(delivered["detail"], { orderId: "o-25000", amount: 25000 });

    await receivedAtLeast(alerts, 1);
    assert.deepEqual(alerts.received(), [{ orderId: "o-25000", amount: 25000 }], "InputPath hands the function the detail only");
  });

  test("rules, targets and buses are listed, removed and deleted", async () => {
    await fixture.events.send(new CreateEventBusCommand({ Name: "scratch" }));
    await fixture.events.send(new PutRuleCommand({ Name: "r", EventBusName: "scratch", EventPattern: '{"source":["x"]}' }));
    await fixture.events.send(new PutTargetsCommand({ Rule: "r", EventBusName: "scratch", Targets: [{ Id: "t", Arn: "arn:aws:sqs:us-east-1:000000000000:alerts" }] }));
    assert.deepEqual((await fixture.events.send(new ListRulesCommand({ EventBusName: "scratch" }))).Rules?.map((r) => r.Name), ["r"]);
    await assert.rejects(fixture.events.send(new DeleteRuleCommand({ Name: "r", EventBusName: "scratch" })), /has targets/);
    await fixture.events.send(new RemoveTargetsCommand({ Rule: "r", EventBusName: "scratch", Ids: ["t"] }));
    assert.deepEqual((await fixture.events.send(new ListTargetsByRuleCommand({ Rule: "r", EventBusName: "scratch" }))).Targets, []);
    await fixture.events.send(new DeleteRuleCommand({ Name: "r", EventBusName: "scratch" }));
    await fixture.events.send(new DeleteEventBusCommand({ Name: "scratch" }));
    const names = (await fixture.events.send(new ListEventBusesCommand({}))).EventBuses?.map((b) => b.Name);
    assert.ok(names?.includes("default") && !names.includes("scratch"));
    await assert.rejects(fixture.events.send(new DescribeEventBusCommand({ Name: "scratch" })), { name: "ResourceNotFoundException" });
    await assert.rejects(fixture.events.send(new PutRuleCommand({ Name: "bad", EventPattern: '{"source":"x"}' })), { name: "InvalidEventPatternException" });
  });
});

test("EventBridge: buses, rules and targets survive a restart", async () => {
  const data = tempDir("events-persist-");
  try {
    const first = await startCloud(data.path);
    await first.events.send(new CreateEventBusCommand({ Name: "kept" }));
    const { QueueUrl = "" } = await first.sqs.send(new CreateQueueCommand({ QueueName: "kept-alerts" }));
    await first.events.send(new PutRuleCommand({ Name: "all", EventBusName: "kept", EventPattern: '{"source":["brokerage.orders"]}' }));
    await first.events.send(new PutTargetsCommand({ Rule: "all", EventBusName: "kept", Targets: [{ Id: "q", Arn: "arn:aws:sqs:us-east-1:000000000000:kept-alerts", Input: '{"constant":true}' }] }));
    await first.stop();

    const second = await startCloud(data.path);
    try {
      await second.events.send(new PutEventsCommand({ Entries: [order(1, "kept")] }));
      assert.deepEqual((await drain(second.sqs, QueueUrl)).map((m) => m.Body), ['{"constant":true}']);
    } finally {
      await second.stop();
    }
  } finally {
    data.remove();
  }
});
