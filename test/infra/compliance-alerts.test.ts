import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BrokerageStack } from "../../lib/brokerage-stack.ts";
import { ComplianceAlerts } from "../../lib/messaging/compliance-alerts.ts";

type Resource = { Type: string; Properties: Record<string, any> };

const NO_BUNDLING = { "aws:cdk:bundling-stacks": [] };
const synth = (context: Record<string, unknown> = {}, props: ConstructorParameters<typeof BrokerageStack>[2] = {}): Template =>
  Template.fromStack(new BrokerageStack(new App({ context: { ...NO_BUNDLING, ...context } }), "Brokerage", props));

describe("compliance alerts in the stack", () => {
  const template = synth();
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const idOf = (type: string, where: (r: Resource) => boolean = () => true): string => {
    const ids = Object.entries(resources).filter(([, r]) => r.Type === type && where(r)).map(([id]) => id);
    assert.equal(ids.length, 1, `exactly one ${type} matches, found ${ids.join(", ")}`);
    return ids[0] ?? "";
  };
  const busId = idOf("AWS::Events::EventBus");
  const ruleId = idOf("AWS::Events::Rule", (r) => r.Properties.EventPattern !== undefined);
  const logFunctionId = idOf("AWS::Lambda::Function", (r) => r.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === "log-compliance-alert");
  const complianceQueueId = Object.keys(resources).find((id) => /^ComplianceQueue[0-9A-F]{8}$/.test(id)) ?? "";
  const deliveryDlqId = Object.keys(resources).find((id) => /^ComplianceDeliveryDeadLetterQueue[0-9A-F]{8}$/.test(id)) ?? "";
  const rule = resources[ruleId];

  test("a custom bus with one rule on it, matching the large-order events by source and detail type", () => {
    assert.deepEqual(rule?.Properties.EventBusName, { Ref: busId });
    assert.deepEqual(rule?.Properties.EventPattern, { source: ["brokerage.orders"], "detail-type": ["LargeOrderExecuted"] });
    assert.equal(rule?.Properties.State, "ENABLED");
  });

  test("the rule's two targets are the compliance queue and the alert-log function, each with the delivery DLQ", () => {
    const targets = (rule?.Properties.Targets ?? []) as { Arn: unknown; DeadLetterConfig?: { Arn: unknown } }[];
    assert.deepEqual(targets.map((t) => t.Arn), [{ "Fn::GetAtt": [complianceQueueId, "Arn"] }, { "Fn::GetAtt": [logFunctionId, "Arn"] }]);
    for (const target of targets) assert.deepEqual(target.DeadLetterConfig, { Arn: { "Fn::GetAtt": [deliveryDlqId, "Arn"] } });
  });

  test("the compliance queue has its own DLQ after 3 receives and the delivery DLQ keeps events 14 days", () => {
    assert.equal(resources[complianceQueueId]?.Properties.RedrivePolicy.maxReceiveCount, 3);
    assert.equal(resources[deliveryDlqId]?.Properties.MessageRetentionPeriod, 14 * 24 * 3600);
  });

  test("only this rule may send to the compliance queue and its delivery DLQ, and invoke the alert-log function", () => {
    const fromRule = { ArnEquals: { "aws:SourceArn": { "Fn::GetAtt": [ruleId, "Arn"] } } };
    for (const queueId of [complianceQueueId, deliveryDlqId]) {
      const policy = Object.values(resources).find((r) => r.Type === "AWS::SQS::QueuePolicy" && r.Properties.Queues[0]?.Ref === queueId);
      const allows = (policy?.Properties.PolicyDocument.Statement ?? []).filter((s: { Effect: string }) => s.Effect === "Allow");
      assert.equal(allows.length, 1, `one Allow statement on ${queueId}`);
      assert.deepEqual(allows[0].Principal, { Service: "events.amazonaws.com" });
      assert.ok([allows[0].Action].flat().includes("sqs:SendMessage"));
      assert.deepEqual(allows[0].Condition, fromRule);
      assert.deepEqual(allows[0].Resource, { "Fn::GetAtt": [queueId, "Arn"] });
    }
    template.hasResourceProperties("AWS::Lambda::Permission", {
      Action: "lambda:InvokeFunction",
      Principal: "events.amazonaws.com",
      FunctionName: { "Fn::GetAtt": [logFunctionId, "Arn"] },
      SourceArn: { "Fn::GetAtt": [ruleId, "Arn"] },
    });
  });

  test("the alert-log function gets no permission beyond writing its logs and traces", () => {
    const role = resources[logFunctionId]?.Properties.Role["Fn::GetAtt"][0];
    const policies = Object.values(resources).filter((r) => r.Type === "AWS::IAM::Policy" && r.Properties.Roles.some((ref: { Ref: string }) => ref.Ref === role));
    const actions = policies.flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat()));
    assert.deepEqual(actions.sort(), ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]);
  });

  test("no function may raise alerts yet: nothing in the stack is granted events:PutEvents", () => {
    assert.doesNotMatch(JSON.stringify(Object.values(resources).filter((r) => r.Type === "AWS::IAM::Policy")), /events:PutEvents/);
  });

  test("outputs the bus name and the compliance queue's URL", () => {
    const outputs = template.findOutputs("*");
    assert.deepEqual(outputs["ComplianceBusName"]?.["Value"], { Ref: busId });
    assert.deepEqual(outputs["ComplianceQueueUrl"]?.["Value"], { Ref: complianceQueueId });
  });
});

describe("ComplianceAlerts", () => {
  const raiserStack = (props: ConstructorParameters<typeof ComplianceAlerts>[2] = {}) => {
    const stack = new Stack(new App({ context: NO_BUNDLING }), "Raiser");
    const alerts = new ComplianceAlerts(stack, "Compliance", props);
    const raiser = new Role(stack, "Raiser", { assumedBy: new ServicePrincipal("lambda.amazonaws.com") });
    alerts.grantRaise(raiser);
    return { stack, alerts, template: Template.fromStack(stack) };
  };

  test("grantRaise allows events:PutEvents on the compliance bus and nothing else", () => {
    const { template } = raiserStack();
    const busId = Object.keys(template.findResources("AWS::Events::EventBus"))[0];
    // The raiser's own policy (the alert-log function's role has its tracing policy).
    const policy = Object.values(template.findResources("AWS::IAM::Policy")).find((p) => JSON.stringify(p["Properties"].Roles).includes("Raiser"));
    assert.deepEqual(policy?.["Properties"].PolicyDocument.Statement, [{ Action: "events:PutEvents", Effect: "Allow", Resource: { "Fn::GetAtt": [busId, "Arn"] } }]);
  });

  test("a raiser's environment names the bus and both thresholds, BRL 100000.00 and USD 20000.00 by default", () => {
    const { stack, alerts } = raiserStack();
    assert.deepEqual(stack.resolve(alerts.environment), {
      COMPLIANCE_BUS_NAME: { Ref: Object.keys(Template.fromStack(stack).findResources("AWS::Events::EventBus"))[0] },
      COMPLIANCE_THRESHOLD_BRL: "100000.00",
      COMPLIANCE_THRESHOLD_USD: "20000.00",
    });
  });

  test("the USD threshold is a setting: a prop of the construct and the stack, or the complianceUsdThreshold context", () => {
    assert.equal(raiserStack({ usdThreshold: "25000.00" }).alerts.environment["COMPLIANCE_THRESHOLD_USD"], "25000.00");
    const fromContext = new BrokerageStack(new App({ context: { ...NO_BUNDLING, complianceUsdThreshold: "18000.00" } }), "Brokerage");
    const fromProp = new BrokerageStack(new App({ context: NO_BUNDLING }), "Brokerage", { complianceUsdThreshold: "21000.00" });
    const usdOf = (stack: BrokerageStack) => (stack.node.findChild("Compliance") as ComplianceAlerts).environment["COMPLIANCE_THRESHOLD_USD"];
    assert.equal(usdOf(fromContext), "18000.00");
    assert.equal(usdOf(fromProp), "21000.00");
  });

  test("a threshold that is not a positive decimal amount is refused, showing the value", () => {
    assert.throws(() => raiserStack({ usdThreshold: "20,000" }), /USD threshold .*"20,000"/);
    assert.throws(() => synth({ complianceUsdThreshold: "0" }), /USD threshold must be greater than 0, got "0"/);
  });
});
