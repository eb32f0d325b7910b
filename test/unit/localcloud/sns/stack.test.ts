import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DeleteStackCommand } from "@aws-sdk/client-cloudformation";
import { ListEventBusesCommand, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { ListTopicsCommand, PublishCommand } from "@aws-sdk/client-sns";
import { cloudFormationClient, deployWithChangeSet, output, settledStack } from "../cloudformation/support.ts";
import { drain, startCloud, type CloudFixture } from "./cloud-fixture.ts";

const queue = (name: string) => ({ Type: "AWS::SQS::Queue", Properties: { QueueName: name } });
const subscription = (queueId: string, filter: unknown) => ({
  Type: "AWS::SNS::Subscription",
  Properties: { Protocol: "sqs", TopicArn: { Ref: "Topic" }, Endpoint: { "Fn::GetAtt": [queueId, "Arn"] }, RawMessageDelivery: true, FilterPolicy: filter },
});

function template(notificationFilter: unknown) {
  return {
    Resources: {
      Topic: { Type: "AWS::SNS::Topic", Properties: { TopicName: "OrderEvents" } },
      Notifications: queue("notifications"),
      Audit: queue("audit"),
      NotificationsSub: subscription("Notifications", notificationFilter),
      AuditSub: subscription("Audit", { status: [{ exists: true }] }),
      Policy: { Type: "AWS::SNS::TopicPolicy", Properties: { Topics: [{ Ref: "Topic" }], PolicyDocument: { Statement: [] } } },
      Bus: { Type: "AWS::Events::EventBus", Properties: { Name: "compliance" } },
      Large: {
        Type: "AWS::Events::Rule",
        Properties: {
          EventBusName: { Ref: "Bus" },
          EventPattern: { detail: { amount: [{ numeric: [">=", 10000] }] } },
          Targets: [{ Id: "audit", Arn: { "Fn::GetAtt": ["Audit", "Arn"] } }],
        },
      },
    },
    Outputs: { TopicArn: { Value: { Ref: "Topic" } }, TopicName: { Value: { "Fn::GetAtt": ["Topic", "TopicName"] } }, AuditUrl: { Value: { Ref: "Audit" } }, NotificationsUrl: { Value: { Ref: "Notifications" } } },
  };
}

let fixture: CloudFixture;
before(async () => {
  fixture = await startCloud();
});
after(() => fixture.stop());

test("CloudFormation: a topic with filtered queue subscriptions and a bus rule, deployed, updated and deleted", async () => {
  const cfn = cloudFormationClient(fixture.cloud.endpoint);
  try {
    const created = await deployWithChangeSet(cfn, "Events", template({ status: ["FILLED"] }));
    assert.equal(created.StackStatus, "CREATE_COMPLETE");
    const topicArn = output(created, "TopicArn") ?? "";
    assert.equal(topicArn, "arn:aws:sns:us-east-1:000000000000:OrderEvents");
    assert.equal(output(created, "TopicName"), "OrderEvents");
    const notifications = output(created, "NotificationsUrl") ?? "";
    const audit = output(created, "AuditUrl") ?? "";
    const publish = (status: string) => fixture.sns.send(new PublishCommand({ TopicArn: topicArn, Message: status, MessageAttributes: { status: { DataType: "String", StringValue: status } } }));

    await publish("FILLED");
    await publish("REJECTED");
    assert.deepEqual((await drain(fixture.sqs, notifications)).map((m) => m.Body), ["FILLED"]);
    assert.deepEqual((await drain(fixture.sqs, audit)).map((m) => m.Body).sort(), ["FILLED", "REJECTED"]);

    await fixture.events.send(new PutEventsCommand({ Entries: [10, 20000].map((amount) => ({ EventBusName: "compliance", Source: "s", DetailType: "d", Detail: JSON.stringify({ amount }) })) }));
    const ruled = (await drain(fixture.sqs, audit)).map((m) => JSON.parse(m.Body ?? "").detail);
    assert.deepEqual(ruled, [{ amount: 20000 }]);

    const updated = await deployWithChangeSet(cfn, "Events", template({ status: ["REJECTED"] }), { type: "UPDATE" });
    assert.equal(updated.StackStatus, "UPDATE_COMPLETE");
    await publish("FILLED");
    await publish("REJECTED");
    assert.deepEqual((await drain(fixture.sqs, notifications)).map((m) => m.Body), ["REJECTED"], "the new filter policy applies");

    await cfn.send(new DeleteStackCommand({ StackName: "Events" }));
    await settledStack(cfn, "Events").catch(() => undefined);
    const topics = (await fixture.sns.send(new ListTopicsCommand({}))).Topics?.map((t) => t.TopicArn) ?? [];
    assert.ok(!topics.includes(topicArn), "the topic is deleted with the stack");
    const buses = (await fixture.events.send(new ListEventBusesCommand({}))).EventBuses?.map((b) => b.Name);
    assert.deepEqual(buses, ["default"]);
  } finally {
    cfn.destroy();
  }
});
