import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CreateEventBusCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import { drain, startCloud, type CloudFixture } from "../sns/cloud-fixture.ts";

const arnOf = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;

let fixture: CloudFixture;
before(async () => {
  fixture = await startCloud();
});
after(() => fixture.stop());

test("EventBridge: an event a target cannot take goes to that target's dead-letter queue, with the rule and target named", async () => {
  for (const QueueName of ["delivered", "undeliverable"]) await fixture.sqs.send(new CreateQueueCommand({ QueueName }));
  await fixture.events.send(new CreateEventBusCommand({ Name: "alerts" }));
  await fixture.events.send(new PutRuleCommand({ Name: "all", EventBusName: "alerts", EventPattern: '{"source":["app"]}' }));
  const deadLetter = { Arn: arnOf("undeliverable") };
  await fixture.events.send(new PutTargetsCommand({
    Rule: "all", EventBusName: "alerts",
    Targets: [
      { Id: "ok", Arn: arnOf("delivered"), DeadLetterConfig: deadLetter },
      { Id: "no-queue", Arn: arnOf("missing"), DeadLetterConfig: deadLetter },
      { Id: "no-function", Arn: "arn:aws:lambda:us-east-1:000000000000:function:missing", DeadLetterConfig: deadLetter },
      { Id: "no-dlq", Arn: arnOf("missing-too") },
    ],
  }));

  const put = await fixture.events.send(new PutEventsCommand({ Entries: [{ EventBusName: "alerts", Source: "app", DetailType: "Thing", Detail: '{"n":1}' }] }));
  assert.equal(put.FailedEntryCount, 0, "a target's failure is not the caller's");
  const eventId = put.Entries?.[0]?.EventId;

  const delivered = await drain(fixture.sqs, `${fixture.cloud.endpoint}/000000000000/delivered`);
  assert.equal(delivered.length, 1);
  const dead = await drain(fixture.sqs, `${fixture.cloud.endpoint}/000000000000/undeliverable`);
  const byTarget = Object.fromEntries(dead.map((m) => [m.MessageAttributes?.["TARGET_ARN"]?.StringValue, m]));
  assert.deepEqual(Object.keys(byTarget).sort(), [arnOf("missing"), "arn:aws:lambda:us-east-1:000000000000:function:missing"].sort(), "only the two failed targets with a DLQ");
  for (const message of dead) {
    const event = JSON.parse(message.Body ?? "{}") as Record<string, unknown>;
    assert.equal(event["id"], eventId, "the whole event is kept");
    assert.deepEqual(event["detail"], { n: 1 });
    assert.equal(message.MessageAttributes?.["RULE_ARN"]?.StringValue, "arn:aws:events:us-east-1:000000000000:rule/alerts/all");
    assert.equal(message.MessageAttributes?.["ERROR_CODE"]?.StringValue, "SDK_CLIENT_ERROR");
    assert.ok(message.MessageAttributes?.["ERROR_MESSAGE"]?.StringValue, "the error is said");
  }
});
