/** Alarms (with their state and history) and dashboards put through the API survive a restart; metrics do not. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, ListDashboardsCommand, ListMetricsCommand, PutDashboardCommand, PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { startLocalCloud } from "../../../../localcloud/cloud.ts";
import { credentials } from "../cloudformation/support.ts";
import { tempDir } from "../sns/cloud-fixture.ts";

async function withCloud<T>(dataDir: string, work: (cloudwatch: CloudWatchClient) => Promise<T>): Promise<T> {
  // Evaluation slower than the test, so the state read back is the one that was kept.
  const cloud = await startLocalCloud({ port: 0, dataDir, cloudwatch: { alarmEvaluationSeconds: 600 } });
  const cloudwatch = new CloudWatchClient({ endpoint: cloud.endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
  try {
    return await work(cloudwatch);
  } finally {
    cloudwatch.destroy();
    await cloud.stop();
  }
}

describe("CloudWatch across a restart", () => {
  it("keeps alarms, their state and history, and dashboards", async () => {
    const folder = tempDir("cloudwatch-data-");
    try {
      await withCloud(folder.path, async (cloudwatch) => {
        await cloudwatch.send(new PutMetricDataCommand({ Namespace: "Shop", MetricData: [{ MetricName: "Orders", Value: 1 }] }));
        await cloudwatch.send(new PutMetricAlarmCommand({ AlarmName: "Kept", Namespace: "Shop", MetricName: "Orders", Statistic: "Sum", Period: 60, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: "GreaterThanThreshold", TreatMissingData: "ignore" }));
        await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: "Kept", StateValue: "ALARM", StateReason: "set by hand" }));
        await cloudwatch.send(new PutDashboardCommand({ DashboardName: "Main", DashboardBody: '{"widgets":[]}' }));
      });

      await withCloud(folder.path, async (cloudwatch) => {
        const [alarm] = (await cloudwatch.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? [];
        assert.deepEqual([alarm?.AlarmName, alarm?.StateValue, alarm?.StateReason], ["Kept", "ALARM", "set by hand"]);
        const history = await cloudwatch.send(new DescribeAlarmHistoryCommand({ AlarmName: "Kept", HistoryItemType: "StateUpdate" }));
        assert.equal(history.AlarmHistoryItems?.[0]?.HistorySummary, "Alarm updated from OK to ALARM");
        assert.deepEqual((await cloudwatch.send(new ListDashboardsCommand({}))).DashboardEntries?.map((entry) => entry.DashboardName), ["Main"]);
        assert.deepEqual((await cloudwatch.send(new ListMetricsCommand({ Namespace: "Shop" }))).Metrics, []);
      });
    } finally {
      folder.remove();
    }
  });
});
