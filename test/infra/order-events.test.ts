import { App } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BrokerageStack } from "../../lib/brokerage-stack.ts";
import { OrderEventsTopic } from "../../lib/messaging/order-events-topic.ts";
import { Stack } from "aws-cdk-lib";
import { Queue } from "aws-cdk-lib/aws-sqs";

type Resource = { Type: string; Properties: Record<string, any> };

const app = new App({ context: { "aws:cdk:bundling-stacks": [] } });
const template = Template.fromStack(new BrokerageStack(app, "Brokerage"));
const resources = template.toJSON().Resources as Record<string, Resource>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const functionId = (service: string) => ofType("AWS::Lambda::Function").find(([, r]) => r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === service)?.[0] ?? "";
/** The logical id of the queue a GetAtt/Ref points at, without CDK's hash: "AuditQueue". */
const nameOf = (reference: unknown) => (JSON.stringify(reference).match(/"(?:Ref|Fn::GetAtt)":\[?"([A-Za-z0-9]+)/)?.[1] ?? "?").replace(/[0-9A-F]{8}$/, "");

/** Every action a function's policy allows, as "action on LogicalIdWithoutHash". */
function grantsOf(service: string): string[] {
  const role = resources[functionId(service)]?.Properties.Role["Fn::GetAtt"][0];
  return ofType("AWS::IAM::Policy")
    .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[]; Resource: unknown }) => [s.Action].flat().map((action) => `${action} on ${nameOf(s.Resource)}`)))
    .sort();
}

/** What active tracing adds to every function's role (X-Ray has no resource-level permissions). */
const TRACING = ["xray:PutTelemetryRecords on ?", "xray:PutTraceSegments on ?"];
const CONSUME = ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ReceiveMessage"];

describe("the OrderEvents topic and its subscribers", () => {
  test("one topic, subscribed by four queues with raw delivery", () => {
    const topics = ofType("AWS::SNS::Topic");
    assert.equal(topics.length, 1);
    const [[topicId] = []] = topics;
    const subscriptions = ofType("AWS::SNS::Subscription").map(([, s]) => s.Properties);
    assert.deepEqual(subscriptions.map((s) => nameOf(s.Endpoint)).sort(), ["AuditQueue", "EmailQueue", "PushQueue", "ReportsQueue"]);
    for (const subscription of subscriptions) {
      assert.equal(subscription.Protocol, "sqs");
      assert.equal(subscription.RawMessageDelivery, true, "the queue receives the event's JSON, not an SNS envelope");
      assert.deepEqual(subscription.TopicArn, { Ref: topicId });
    }
  });

  test("filter policies: push and e-mail take final states only, reports fills only, audit everything", () => {
    const policyOf = (queue: string) => ofType("AWS::SNS::Subscription").find(([, s]) => nameOf(s.Properties.Endpoint) === queue)?.[1].Properties.FilterPolicy;
    assert.deepEqual(policyOf("PushQueue"), { type: ["filled", "rejected"] });
    assert.deepEqual(policyOf("EmailQueue"), { type: ["filled", "rejected"] });
    assert.deepEqual(policyOf("ReportsQueue"), { type: ["filled"] });
    assert.equal(policyOf("AuditQueue"), undefined);
  });

  test("each subscribed queue has its own DLQ after 3 receives and lets only the topic send to it", () => {
    for (const queue of ["PushQueue", "EmailQueue", "AuditQueue", "ReportsQueue"]) {
      const [, props] = ofType("AWS::SQS::Queue").map(([id, q]) => [id.replace(/[0-9A-F]{8}$/, ""), q.Properties] as const).find(([id]) => id === queue) ?? [];
      assert.ok(props, queue);
      assert.equal(props.RedrivePolicy.maxReceiveCount, 3, queue);
      assert.equal(nameOf(props.RedrivePolicy.deadLetterTargetArn), queue.replace("Queue", "DeadLetterQueue"));
      const policies = ofType("AWS::SQS::QueuePolicy").filter(([, p]) => p.Properties.Queues.some((q: unknown) => nameOf(q) === queue));
      const fromSns = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement).filter((s: { Principal?: { Service?: string } }) => s.Principal?.Service === "sns.amazonaws.com");
      assert.equal(fromSns.length, 1, `${queue}: one statement for SNS`);
      assert.equal(fromSns[0].Action, "sqs:SendMessage");
      assert.equal(nameOf(fromSns[0].Condition.ArnEquals["aws:SourceArn"]), "OrderEventsTopic");
    }
  });

  test("the audit and reports consumers report partial batch failures", () => {
    for (const service of ["audit-recorder", "record-statement-lines"]) {
      template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
        FunctionName: { Ref: functionId(service) },
        FunctionResponseTypes: ["ReportBatchItemFailures"],
        BatchSize: 10,
      });
    }
  });

  test("least privilege: who publishes, who writes the audit and statement tables, who reads them", () => {
    assert.deepEqual(grantsOf("audit-recorder"), ["dynamodb:GetItem on TablesAudit", "dynamodb:PutItem on TablesAudit", "events:PutEvents on ComplianceBus", ...TRACING, ...CONSUME.map((a) => `${a} on AuditQueue`)].sort());
    assert.deepEqual(grantsOf("record-statement-lines"), ["dynamodb:PutItem on TablesStatements", ...TRACING, ...CONSUME.map((a) => `${a} on ReportsQueue`)].sort());
    const publishers = ofType("AWS::Lambda::Function").map(([, f]) => String(f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME)).filter((service) => grantsOf(service).some((g) => g.startsWith("sns:")));
    assert.deepEqual(publishers, ["consolidate-portfolio"], "accepted events go out with the final ones, not from the accept path");
    for (const service of publishers) assert.deepEqual(grantsOf(service).filter((g) => g.startsWith("sns:")), ["sns:Publish on OrderEventsTopic"]);
    assert.deepEqual(grantsOf("consolidate-portfolio").filter((g) => g.startsWith("sqs:")), [], "consolidation no longer sends to the queues itself");
    const queryGrants = grantsOf("query-api").filter((g) => /Tables(Audit|Statements)/.test(g));
    assert.deepEqual(queryGrants, ["dynamodb:Query on TablesAudit", "dynamodb:Query on TablesStatements"]);
    for (const service of ["validate-order", "process-order", "send-push", "send-email"]) {
      assert.deepEqual(grantsOf(service).filter((g) => /Tables(Audit|Statements)/.test(g)), [], service);
    }
  });

  test("the functions know the topic and the tables by name", () => {
    for (const [service, variables] of [
      ["consolidate-portfolio", ["ORDER_EVENTS_TOPIC_ARN"]],
      ["audit-recorder", ["AUDIT_TABLE"]],
      ["record-statement-lines", ["STATEMENTS_TABLE"]],
      ["query-api", ["AUDIT_TABLE", "STATEMENTS_TABLE"]],
    ] as const) {
      const environment = resources[functionId(service)]?.Properties.Environment.Variables ?? {};
      for (const variable of variables) assert.ok(environment[variable], `${service} has ${variable}`);
    }
    assert.equal(resources[functionId("validate-order")]?.Properties.Environment.Variables.ORDER_EVENTS_TOPIC_ARN, undefined, "the accept path does not publish");
  });

  test("the routes GET /orders/{orderId}/events and GET /users/{userId}/statements/{date} exist", () => {
    template.hasResourceProperties("AWS::ApiGateway::Resource", { PathPart: "events" });
    template.hasResourceProperties("AWS::ApiGateway::Resource", { PathPart: "{date}" });
  });

  test("a subscription's event types are checked", () => {
    const stack = new Stack(new App(), "Check");
    const topic = new OrderEventsTopic(stack, "Events");
    const queue = new Queue(stack, "Queue");
    assert.throws(() => topic.subscribeQueue(queue, { types: [] }), /non-empty list of accepted, filled, rejected, got \[\]/);
    assert.throws(() => topic.subscribeQueue(queue, { types: ["cancelled" as never] }), /got \["cancelled"\]/);
    topic.subscribeQueue(queue, { types: ["filled"] });
    Template.fromStack(stack).hasResourceProperties("AWS::SNS::Subscription", { FilterPolicy: { type: ["filled"] }, RawMessageDelivery: true, Protocol: "sqs", Endpoint: Match.anyValue() });
  });
});
