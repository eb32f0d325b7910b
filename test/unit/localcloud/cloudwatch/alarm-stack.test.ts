/** A stack's DLQ alarm, deployed through CloudFormation and read back with the aws CLI and the SDK. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetDashboardCommand, ListDashboardsCommand } from "@aws-sdk/client-cloudwatch";
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { startLocalCloud, type LocalCloud } from "../../../../localcloud/cloud.ts";
import { DEBIAN_AWS_CLI } from "../../../../scripts/ensure-aws-cli.ts";
import { cloudFormationClient, credentials, deployWithChangeSet, output } from "../cloudformation/support.ts";
import { eventually } from "./eventually.ts";

const run = promisify(execFile);

const template = {
  Resources: {
    OrdersDlq: { Type: "AWS::SQS::Queue" },
    DlqNotEmpty: {
      Type: "AWS::CloudWatch::Alarm",
      Properties: {
        AlarmDescription: "Orders given up on land in the DLQ",
        Namespace: "AWS/SQS",
        MetricName: "ApproximateNumberOfMessagesVisible",
        Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": ["OrdersDlq", "QueueName"] } }],
        Statistic: "Maximum",
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        TreatMissingData: "notBreaching",
      },
    },
    Board: {
      Type: "AWS::CloudWatch::Dashboard",
      Properties: {
        DashboardName: "Orders",
        DashboardBody: {
          "Fn::Join": ["", ['{"widgets":[{"type":"metric","properties":{"title":"DLQ depth","stat":"Maximum","period":60,"metrics":[["AWS/SQS","ApproximateNumberOfMessagesVisible","QueueName","', { "Fn::GetAtt": ["OrdersDlq", "QueueName"] }, '"]]}}]}']],
        },
      },
    },
  },
  Outputs: {
    AlarmName: { Value: { Ref: "DlqNotEmpty" } },
    AlarmArn: { Value: { "Fn::GetAtt": ["DlqNotEmpty", "Arn"] } },
    DlqName: { Value: { "Fn::GetAtt": ["OrdersDlq", "QueueName"] } },
  },
};

describe("a stack's CloudWatch alarm on the local cloud", () => {
  let cloud: LocalCloud;
  let cloudwatch: CloudWatchClient;
  let sqs: SQSClient;
  let alarmName: string;
  let dlqName: string;

  const describeWithCli = async (...args: string[]) => {
    const { stdout } = await run(DEBIAN_AWS_CLI, ["--endpoint-url", cloud.endpoint, "--output", "json", "cloudwatch", "describe-alarms", ...args], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "us-east-1", AWS_PAGER: "" },
    });
    return JSON.parse(stdout) as { MetricAlarms: { AlarmName: string; StateValue: string; StateReason: string; AlarmArn: string }[] };
  };

  before(async () => {
    cloud = await startLocalCloud({ port: 0, dataDir: "", inMemory: true, cloudwatch: { alarmEvaluationSeconds: 0.2, queueSampleSeconds: 0.2 } });
    const config = { endpoint: cloud.endpoint, region: "us-east-1", credentials, maxAttempts: 1 };
    cloudwatch = new CloudWatchClient(config);
    sqs = new SQSClient(config);
    const cfn = cloudFormationClient(cloud.endpoint);
    const stack = await deployWithChangeSet(cfn, "Monitored", template);
    cfn.destroy();
    assert.equal(stack.StackStatus, "CREATE_COMPLETE");
    alarmName = output(stack, "AlarmName") ?? "";
    dlqName = output(stack, "DlqName") ?? "";
    assert.equal(output(stack, "AlarmArn"), `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${alarmName}`);
  });

  after(async () => {
    cloudwatch.destroy();
    sqs.destroy();
    await cloud.stop();
  });

  it("is OK while the DLQ is empty, and goes to ALARM once a message lands there", async () => {
    await eventually(async () => assert.equal((await describeWithCli("--alarm-names", alarmName)).MetricAlarms[0]?.StateValue, "OK"));

    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: dlqName }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "gave up" }));

    const alarm = await eventually(async () => {
      const found = (await describeWithCli("--state-value", "ALARM")).MetricAlarms;
      assert.deepEqual(found.map((a) => a.AlarmName), [alarmName]);
      return found[0];
    });
    assert.match(alarm?.StateReason ?? "", /\[1\.0\] was greater than or equal to the threshold \(1\.0\)/);
    assert.deepEqual((await describeWithCli("--alarm-name-prefix", "nothing-like-it")).MetricAlarms, []);

    const viaSdk = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: "Monitored" }));
    assert.equal(viaSdk.MetricAlarms?.[0]?.StateValue, "ALARM");
    assert.equal(viaSdk.MetricAlarms?.[0]?.Dimensions?.[0]?.Value, dlqName);
    assert.ok(viaSdk.MetricAlarms?.[0]?.StateUpdatedTimestamp instanceof Date);
    const history = await cloudwatch.send(new DescribeAlarmHistoryCommand({ AlarmName: alarmName, HistoryItemType: "StateUpdate" }));
    assert.deepEqual(history.AlarmHistoryItems?.map((item) => item.HistorySummary), ["Alarm updated from OK to ALARM", "Alarm updated from INSUFFICIENT_DATA to OK"]);
    assert.deepEqual(cloud.monitoring.alarms().map((a) => [a.name, a.state, a.description]), [[alarmName, "ALARM", "Orders given up on land in the DLQ"]]);
  });

  it("keeps the stack's dashboard and shows its graphs to the console", async () => {
    const listed = await cloudwatch.send(new ListDashboardsCommand({}));
    assert.deepEqual(listed.DashboardEntries?.map((entry) => entry.DashboardName), ["Orders"]);
    const body = JSON.parse((await cloudwatch.send(new GetDashboardCommand({ DashboardName: "Orders" }))).DashboardBody ?? "{}") as { widgets: unknown[] };
    assert.equal(body.widgets.length, 1);

    assert.deepEqual(cloud.monitoring.dashboards(), [
      {
        name: "Orders",
        widgets: [{ title: "DLQ depth", metrics: [{ namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: dlqName }, stat: "Maximum", periodSeconds: 60 }] }],
      },
    ]);
  });
});
