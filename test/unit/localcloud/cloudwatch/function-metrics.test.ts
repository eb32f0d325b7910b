/** Metrics from a function's own EMF lines and the ones Lambda and SQS publish, and a metric-math alarm over them. */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { CreateQueueCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { startLocalCloud, type LocalCloud } from "../../../../localcloud/cloud.ts";
import { credentials } from "../cloudformation/support.ts";
import { tempDir } from "../sns/cloud-fixture.ts";
import { eventually } from "./eventually.ts";

/** Prints an EMF line per order, as Powertools Metrics does, and fails when told to. */
const HANDLER = `
exports.handler = async (event) => {
  console.log(JSON.stringify({
    _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: "Shop", Dimensions: [["service"]], Metrics: [{ Name: "OrderValue", Unit: "None" }] }] },
    service: "orders",
    OrderValue: event.value,
  }));
  if (event.fail) throw new Error("refused");
  return { ok: true };
};
`;

describe("function and queue metrics", () => {
  const folder = tempDir("cloudwatch-fn-");
  let cloud: LocalCloud;
  let cloudwatch: CloudWatchClient;
  let sqs: SQSClient;
  const window = () => ({ StartTime: new Date(Date.now() - 10 * 60_000), EndTime: new Date(Date.now() + 60_000) });

  before(async () => {
    cloud = await startLocalCloud({ port: 0, dataDir: "", inMemory: true, cloudwatch: { alarmEvaluationSeconds: 0.2, queueSampleSeconds: 0.2 } });
    const config = { endpoint: cloud.endpoint, region: "us-east-1", credentials, maxAttempts: 1 };
    cloudwatch = new CloudWatchClient(config);
    sqs = new SQSClient(config);
    const codeDir = join(folder.path, "code");
    mkdirSync(codeDir, { recursive: true });
    writeFileSync(join(codeDir, "index.js"), HANDLER);
    cloud.services.lambda.createFunction({ functionName: "Shop-Orders-1A2B", displayName: "orders", codeDir, handler: "index.handler", runtime: "nodejs22.x", timeoutSeconds: 3, memorySizeMb: 128, environment: {} });
    for (const [value, fail] of [[10, false], [30, false], [20, false], [40, true]] as const) {
      await cloud.services.lambda.invoke("Shop-Orders-1A2B", JSON.stringify({ value, fail }));
    }
  });

  after(async () => {
    cloudwatch.destroy();
    sqs.destroy();
    await cloud.stop();
    folder.remove();
  });

  it("keeps the function's EMF values as metrics, with their statistics", async () => {
    const stats = await cloudwatch.send(
      new GetMetricStatisticsCommand({ Namespace: "Shop", MetricName: "OrderValue", Dimensions: [{ Name: "service", Value: "orders" }], Period: 3600, Statistics: ["Sum", "Maximum", "SampleCount"], ExtendedStatistics: ["p50"], ...window() }),
    );
    const points = stats.Datapoints ?? [];
    assert.equal(points.reduce((sum, point) => sum + (point.SampleCount ?? 0), 0), 4);
    assert.equal(points.reduce((sum, point) => sum + (point.Sum ?? 0), 0), 100);
    assert.equal(Math.max(...points.map((point) => point.Maximum ?? 0)), 40);
  });

  it("publishes AWS/Lambda Invocations, Errors and Duration per function, and the console's activity", async () => {
    const { Metrics = [] } = await cloudwatch.send(new ListMetricsCommand({ Namespace: "AWS/Lambda", Dimensions: [{ Name: "FunctionName", Value: "Shop-Orders-1A2B" }] }));
    assert.deepEqual(Metrics.map((metric) => metric.MetricName).sort(), ["Duration", "Errors", "Invocations", "Throttles"]);
    const sum = async (metricName: string) => {
      const { Datapoints = [] } = await cloudwatch.send(new GetMetricStatisticsCommand({ Namespace: "AWS/Lambda", MetricName: metricName, Dimensions: [{ Name: "FunctionName", Value: "Shop-Orders-1A2B" }], Period: 3600, Statistics: ["Sum"], ...window() }));
      return Datapoints.reduce((total, point) => total + (point.Sum ?? 0), 0);
    };
    assert.equal(await sum("Invocations"), 4);
    assert.equal(await sum("Errors"), 1);
    const [activity] = cloud.monitoring.functionActivity();
    assert.equal(activity?.functionName, "Shop-Orders-1A2B");
    assert.equal(activity?.invocations, 4);
    assert.equal(activity?.errors, 1);
    assert.ok((activity?.durationMs.max ?? 0) >= (activity?.durationMs.p50 ?? 0) && (activity?.durationMs.p50 ?? 0) > 0);
  });

  it("computes an error rate with metric math, in GetMetricData and in an alarm", async () => {
    const lambdaMetric = (name: string) => ({ Metric: { Namespace: "AWS/Lambda", MetricName: name, Dimensions: [{ Name: "FunctionName", Value: "Shop-Orders-1A2B" }] }, Period: 3600, Stat: "Sum" });
    const queries = [
      { Id: "errors", MetricStat: lambdaMetric("Errors"), ReturnData: false },
      { Id: "invocations", MetricStat: lambdaMetric("Invocations"), ReturnData: false },
      { Id: "rate", Expression: "100 * errors / invocations", Label: "Error rate" },
    ];
    const data = await cloudwatch.send(new GetMetricDataCommand({ MetricDataQueries: queries, ...window() }));
    assert.deepEqual(data.MetricDataResults?.map((result) => [result.Id, result.Label, result.Values]), [["rate", "Error rate", [25]]]);

    await cloudwatch.send(new PutMetricAlarmCommand({ AlarmName: "ErrorRate", Metrics: queries, EvaluationPeriods: 1, Threshold: 20, ComparisonOperator: "GreaterThanThreshold" }));
    await eventually(async () => assert.equal((await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ["ErrorRate"] }))).MetricAlarms?.[0]?.StateValue, "ALARM"));

    // SetAlarmState holds only until the next evaluation, as in CloudWatch.
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: "ErrorRate", StateValue: "OK", StateReason: "testing" }));
    await eventually(async () => assert.equal((await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ["ErrorRate"] }))).MetricAlarms?.[0]?.StateValue, "ALARM"));
    const { AlarmHistoryItems = [] } = await cloudwatch.send(new DescribeAlarmHistoryCommand({ AlarmName: "ErrorRate", HistoryItemType: "StateUpdate", ScanBy: "TimestampAscending" }));
    assert.deepEqual(AlarmHistoryItems.map((item) => item.HistorySummary), ["Alarm updated from INSUFFICIENT_DATA to ALARM", "Alarm updated from ALARM to OK", "Alarm updated from OK to ALARM"]);
  });

  it("samples the queues' depth and counts the messages sent", async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "work" }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: "a", MessageBody: "1" }, { Id: "b", MessageBody: "2" }, { Id: "c", MessageBody: "3" }] }));
    const latest = async (metricName: string, stat: "Maximum" | "Sum") => {
      const { Datapoints = [] } = await cloudwatch.send(new GetMetricStatisticsCommand({ Namespace: "AWS/SQS", MetricName: metricName, Dimensions: [{ Name: "QueueName", Value: "work" }], Period: 3600, Statistics: [stat], ...window() }));
      return Datapoints.reduce((best, point) => Math.max(best, point[stat] ?? 0), 0);
    };
    assert.equal(await latest("NumberOfMessagesSent", "Sum"), 3);
    await eventually(async () => assert.equal(await latest("ApproximateNumberOfMessagesVisible", "Maximum"), 3));
  });

  it("refuses bad input with CloudWatch's error codes, not a 500", async () => {
    await assert.rejects(cloudwatch.send(new PutMetricDataCommand({ Namespace: "AWS/Lambda", MetricData: [{ MetricName: "X", Value: 1 }] })), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(error.$metadata?.httpStatusCode, 400);
      assert.match(error.message, /AWS\/ namespaces are reserved/);
      return true;
    });
    await assert.rejects(cloudwatch.send(new PutMetricAlarmCommand({ AlarmName: "Bad", EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: "Sideways" as never, Namespace: "Shop", MetricName: "OrderValue", Period: 60, Statistic: "Sum" })), /ComparisonOperator/);
    await assert.rejects(cloudwatch.send(new SetAlarmStateCommand({ AlarmName: "Nobody", StateValue: "OK", StateReason: "x" })), /Nobody not found/);
  });
});
