import { App, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { Topic, type CfnTopic } from "aws-cdk-lib/aws-sns";
import { Queue } from "aws-cdk-lib/aws-sqs";
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BrokerageStack } from "../../lib/brokerage-stack.ts";
import { BrokerageFunction } from "../../lib/compute/brokerage-function.ts";
import { QueueWithDeadLetterQueue } from "../../lib/messaging/queue-with-dead-letter-queue.ts";
import { BrokerageObservability } from "../../lib/observability/brokerage-observability.ts";

type Resource = { Type: string; Properties: Record<string, any> };

const noBundling = () => new App({ context: { "aws:cdk:bundling-stacks": [] } });
const template = Template.fromStack(new BrokerageStack(noBundling(), "Brokerage"));
const resources = template.toJSON().Resources as Record<string, Resource>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const alarms = ofType("AWS::CloudWatch::Alarm").map(([, r]) => r.Properties);
const alarmNamed = (name: string) => alarms.find((a) => a.AlarmName === name);
/** The logical id a Ref or GetAtt in a metric dimension points at. */
const dimensionTarget = (alarm: Record<string, any> | undefined): string | undefined => {
  const value = alarm?.Dimensions?.[0]?.Value;
  return value?.Ref ?? value?.["Fn::GetAtt"]?.[0];
};

describe("alarms and dashboard", () => {
  const queues = ofType("AWS::SQS::Queue");
  // Redrive targets, and queues made on their own as dead-letter queues (an EventBridge target's).
  const deadLetterQueueIds = new Set([
    ...queues.flatMap(([, q]) => q.Properties.RedrivePolicy?.deadLetterTargetArn["Fn::GetAtt"][0] ?? []),
    ...queues.map(([id]) => id).filter((id) => /DeadLetterQueue[0-9A-F]{8}$/.test(id)),
  ]);
  const mainQueueIds = queues.map(([id]) => id).filter((id) => !deadLetterQueueIds.has(id));
  const functionIds = ofType("AWS::Lambda::Function").map(([id]) => id);

  test("every queue has a backlog alarm: more than 10 messages visible (Maximum) for one 60 s period", () => {
    const backlog = alarms.filter((a) => a.AlarmName.endsWith("-Backlog"));
    assert.deepEqual(backlog.map(dimensionTarget).sort(), [...mainQueueIds].sort());
    for (const alarm of backlog) {
      assert.equal(alarm.Namespace, "AWS/SQS");
      assert.equal(alarm.MetricName, "ApproximateNumberOfMessagesVisible");
      assert.equal(alarm.Statistic, "Maximum");
      assert.equal(alarm.Period, 60);
      assert.equal(alarm.EvaluationPeriods, 1);
      assert.equal(alarm.Threshold, 10);
      assert.equal(alarm.ComparisonOperator, "GreaterThanThreshold");
    }
  });

  test("every queue of the stack has exactly one alarm on its depth", () => {
    const watched = alarms.filter((a) => a.Namespace === "AWS/SQS").map(dimensionTarget);
    assert.deepEqual([...watched].sort(), queues.map(([id]) => id).sort());
  });

  test("every dead-letter queue alarms on any message", () => {
    const deadLetters = alarms.filter((a) => a.AlarmName.endsWith("-DeadLetters"));
    assert.deepEqual(deadLetters.map(dimensionTarget).sort(), [...deadLetterQueueIds].sort());
    for (const alarm of deadLetters) {
      assert.equal(alarm.MetricName, "ApproximateNumberOfMessagesVisible");
      assert.equal(alarm.Statistic, "Maximum");
      assert.equal(alarm.Period, 60);
      assert.equal(alarm.Threshold, 0);
      assert.equal(alarm.ComparisonOperator, "GreaterThanThreshold");
    }
  });

  test("every function alarms on an error rate over 5 %: 100 * errors / invocations over their Sums, no data is not breaching", () => {
    const errorRates = alarms.filter((a) => a.AlarmName.endsWith("-ErrorRate"));
    assert.equal(errorRates.length, functionIds.length);
    const covered = errorRates.map((alarm) => {
      const [expression, ...inputs] = alarm.Metrics as Record<string, any>[];
      assert.equal(expression?.Expression, "100 * errors / invocations");
      assert.deepEqual(inputs.map((m) => [m.Id, m.MetricStat.Metric.Namespace, m.MetricStat.Metric.MetricName, m.MetricStat.Stat, m.ReturnData]), [
        ["errors", "AWS/Lambda", "Errors", "Sum", false],
        ["invocations", "AWS/Lambda", "Invocations", "Sum", false],
      ]);
      assert.equal(alarm.Threshold, 5);
      assert.equal(alarm.ComparisonOperator, "GreaterThanThreshold");
      assert.equal(alarm.TreatMissingData, "notBreaching");
      return inputs[0]?.MetricStat.Metric.Dimensions[0].Value.Ref as string;
    });
    assert.deepEqual(covered.sort(), [...functionIds].sort());
  });

  test("alarm names are the stack's name, the construct's and what is watched", () => {
    for (const name of ["Brokerage-Orders-Backlog", "Brokerage-Orders-DeadLetters", "Brokerage-Push-Backlog", "Brokerage-Email-DeadLetters", "Brokerage-ProcessOrder-ErrorRate", "Brokerage-ValidateOrder-ErrorRate"]) {
      assert.ok(alarmNamed(name), `no alarm ${name}`);
    }
    assert.equal(new Set(alarms.map((a) => a.AlarmName)).size, alarms.length, "names are unique");
  });

  test("a queue or function declared after the construct, deeper in the tree, or made on its own, is covered too", () => {
    const stack = new Stack(noBundling(), "Late");
    new BrokerageObservability(stack, "Observability");
    const events = new QueueWithDeadLetterQueue(stack, "Events");
    new QueueWithDeadLetterQueue(events, "Audit");
    new BrokerageFunction(stack, "SendPush", { entryName: "send-push", description: "test" });
    new Queue(stack, "Work");
    new Queue(stack, "DeliveryDeadLetterQueue");
    const late = Template.fromStack(stack);
    const names = Object.values(late.findResources("AWS::CloudWatch::Alarm")).map((a) => a.Properties.AlarmName).sort();
    assert.deepEqual(names, [
      "Late-Events-Audit-Backlog",
      "Late-Events-Audit-DeadLetters",
      "Late-DeliveryDeadLetterQueue-DeadLetters",
      "Late-Events-Backlog",
      "Late-Events-DeadLetters",
      "Late-SendPush-ErrorRate",
      "Late-Work-Backlog",
    ].sort());
  });

  test("sends every alarm to the actions given, e.g. an on-call SNS topic", () => {
    const stack = new Stack(noBundling(), "Paged");
    const topic = new Topic(stack, "OnCall");
    new BrokerageObservability(stack, "Observability", { alarmActions: [new SnsAction(topic)] });
    new QueueWithDeadLetterQueue(stack, "Orders");
    const paged = Object.values(Template.fromStack(stack).findResources("AWS::CloudWatch::Alarm"));
    assert.equal(paged.length, 2);
    for (const alarm of paged) assert.deepEqual(alarm.Properties.AlarmActions, [{ Ref: stack.getLogicalId(topic.node.defaultChild as CfnTopic) }]);
    assert.ok(alarms.every((alarm) => alarm.AlarmActions === undefined), "the brokerage stack pages no one by default");
  });

  test("rejects a name prefix CloudWatch would not take", () => {
    assert.throws(() => new BrokerageObservability(new Stack(noBundling(), "S"), "O", { namePrefix: "has space" }), /namePrefix .* got "has space"/);
  });

  test("every function and the API stage are traced with X-Ray", () => {
    for (const [, fn] of ofType("AWS::Lambda::Function")) assert.deepEqual(fn.Properties.TracingConfig, { Mode: "Active" });
    template.hasResourceProperties("AWS::ApiGateway::Stage", { StageName: "prod", TracingEnabled: true });
    template.allResourcesProperties("AWS::Lambda::Function", {
      Environment: { Variables: Match.objectLike({ AWS_XRAY_CONTEXT_MISSING: "IGNORE_ERROR" }) },
    });
  });

  test("one dashboard shows the business metrics, the queues, the functions and the alarms", () => {
    const dashboards = ofType("AWS::CloudWatch::Dashboard");
    assert.equal(dashboards.length, 1);
    const [[, dashboard] = []] = dashboards;
    assert.equal(dashboard?.Properties.DashboardName, "Brokerage");
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    for (const metric of ["OrdersAccepted", "OrdersFilled", "OrdersRejected", "FilledNotional", "AcceptanceToFillLatency"]) assert.ok(body.includes(metric), `dashboard lacks ${metric}`);
    for (const metric of ["ApproximateNumberOfMessagesVisible", "Invocations", "Errors", "Duration"]) assert.ok(body.includes(metric), `dashboard lacks ${metric}`);
    assert.match(body, /\{Brokerage,reason,service\} MetricName=/, "rejections by every reason");
    assert.match(body, /\{Brokerage,currency,service,ticker\} MetricName=/, "notional by every ticker and currency");
    for (const id of [...mainQueueIds, ...deadLetterQueueIds]) assert.ok(body.includes(`"${id}"`), `dashboard lacks queue ${id}`);
    for (const id of functionIds) assert.ok(body.includes(`"Ref":"${id}"`), `dashboard lacks function ${id}`);
    const alarmIds = ofType("AWS::CloudWatch::Alarm").map(([id]) => id);
    assert.ok(body.includes('\\"type\\":\\"alarm\\"'), "an alarm status widget");
    for (const id of alarmIds) assert.ok(body.includes(`"${id}"`), `dashboard lacks alarm ${id}`);
  });
});
