/** The alarm and dashboard operations of CloudWatch's API. */
import type { AlarmStateValue } from "../monitoring/monitoring-view.ts";
import { alarmDefinitionOf } from "./alarm-input.ts";
import type { AlarmRecord } from "./alarm-store.ts";
import type { CloudWatch } from "./cloudwatch.ts";
import { InvalidParameterValueError, ResourceNotFoundError } from "./errors.ts";
import { dateOf, dimensionList, type Input, listOf, numberOf, required, text } from "./wire-values.ts";

const STATES: readonly string[] = ["OK", "ALARM", "INSUFFICIENT_DATA"];

export function putMetricAlarm(cloudwatch: CloudWatch, input: Input): Input {
  cloudwatch.alarms.put(alarmDefinitionOf(input));
  return {};
}

export function deleteAlarms(cloudwatch: CloudWatch, input: Input): Input {
  const names = listOf(input, "AlarmNames").map(String);
  const missing = names.filter((name) => cloudwatch.alarms.get(name) === undefined);
  if (missing.length > 0) throw new ResourceNotFoundError(`Alarms not found: ${missing.join(", ")}`);
  for (const name of names) cloudwatch.alarms.delete(name);
  return {};
}

export function describeAlarms(cloudwatch: CloudWatch, input: Input): Input {
  const names = listOf(input, "AlarmNames").map(String);
  const prefix = text(input, "AlarmNamePrefix");
  const state = text(input, "StateValue");
  const types = listOf(input, "AlarmTypes").map(String);
  const alarms = cloudwatch.alarms
    .list()
    .filter((alarm) => names.length === 0 || names.includes(alarm.definition.name))
    .filter((alarm) => prefix === undefined || alarm.definition.name.startsWith(prefix))
    .filter((alarm) => state === undefined || alarm.state === state);
  const metricAlarms = types.length === 0 || types.includes("MetricAlarm") ? alarms.map(metricAlarmOf) : [];
  return { MetricAlarms: metricAlarms, CompositeAlarms: [] };
}

function metricAlarmOf(alarm: AlarmRecord): Input {
  const { definition } = alarm;
  const metric = definition.metric;
  const extended = metric !== undefined && /^p/.test(metric.stat);
  return {
    AlarmName: definition.name,
    AlarmArn: alarm.arn,
    AlarmDescription: definition.description,
    AlarmConfigurationUpdatedTimestamp: alarm.configurationUpdatedAt,
    ActionsEnabled: definition.actionsEnabled,
    OKActions: definition.okActions,
    AlarmActions: definition.alarmActions,
    InsufficientDataActions: definition.insufficientDataActions,
    StateValue: alarm.state,
    StateReason: alarm.reason,
    StateReasonData: alarm.reasonData,
    StateUpdatedTimestamp: alarm.stateUpdatedAt,
    StateTransitionedTimestamp: alarm.stateUpdatedAt,
    ...(metric
      ? {
          MetricName: metric.metricName,
          Namespace: metric.namespace,
          ...(extended ? { ExtendedStatistic: metric.stat } : { Statistic: metric.stat }),
          Dimensions: dimensionList(metric.dimensions),
          Period: metric.periodSeconds,
          Unit: metric.unit,
        }
      : {
          Dimensions: [],
          Metrics: (definition.metrics ?? []).map((query) => ({
            Id: query.id,
            ...(query.metricStat
              ? {
                  MetricStat: {
                    Metric: { Namespace: query.metricStat.metric.namespace, MetricName: query.metricStat.metric.metricName, Dimensions: dimensionList(query.metricStat.metric.dimensions) },
                    Period: query.metricStat.periodSeconds,
                    Stat: query.metricStat.stat,
                  },
                }
              : {}),
            Expression: query.expression,
            Label: query.label,
            ReturnData: query.returnData ?? true,
            Period: query.periodSeconds,
          })),
        }),
    EvaluationPeriods: definition.evaluationPeriods,
    DatapointsToAlarm: definition.datapointsToAlarm,
    Threshold: definition.threshold,
    ComparisonOperator: definition.comparisonOperator,
    TreatMissingData: definition.treatMissingData,
  };
}

export function describeAlarmHistory(cloudwatch: CloudWatch, input: Input): Input {
  const type = text(input, "HistoryItemType");
  const start = input["StartDate"] === undefined ? 0 : dateOf(input["StartDate"], "StartDate").getTime();
  const end = input["EndDate"] === undefined ? Number.POSITIVE_INFINITY : dateOf(input["EndDate"], "EndDate").getTime();
  const max = input["MaxRecords"] === undefined ? 100 : numberOf(input["MaxRecords"], "MaxRecords");
  let items = cloudwatch.alarms
    .history(text(input, "AlarmName"))
    .filter((item) => (type === undefined || item.historyItemType === type) && item.timestamp.getTime() >= start && item.timestamp.getTime() <= end);
  if (text(input, "ScanBy") === "TimestampAscending") items = items.reverse();
  return {
    AlarmHistoryItems: items.slice(0, max).map((item) => ({
      AlarmName: item.alarmName,
      AlarmType: "MetricAlarm",
      Timestamp: item.timestamp,
      HistoryItemType: item.historyItemType,
      HistorySummary: item.summary,
      HistoryData: item.data,
    })),
  };
}

export function setAlarmState(cloudwatch: CloudWatch, input: Input): Input {
  const name = String(required(input, "AlarmName"));
  const state = String(required(input, "StateValue"));
  if (!STATES.includes(state)) throw new InvalidParameterValueError(`The value ${state} for parameter StateValue is not one of ${STATES.join(", ")}.`);
  const reasonData = text(input, "StateReasonData");
  if (reasonData !== undefined) {
    try {
      JSON.parse(reasonData);
    } catch {
      throw new InvalidParameterValueError("StateReasonData is not valid JSON.");
    }
  }
  if (!cloudwatch.alarms.setState(name, state as AlarmStateValue, String(required(input, "StateReason")), reasonData)) {
    throw new ResourceNotFoundError(`Alarm ${name} not found`);
  }
  return {};
}

export function putDashboard(cloudwatch: CloudWatch, input: Input): Input {
  const name = String(required(input, "DashboardName"));
  const body = String(required(input, "DashboardBody"));
  try {
    JSON.parse(body);
  } catch {
    throw new InvalidParameterValueError("The field DashboardBody must be a valid JSON object");
  }
  cloudwatch.putDashboard(name, body);
  return { DashboardValidationMessages: [] };
}

export function getDashboard(cloudwatch: CloudWatch, input: Input): Input {
  const name = String(required(input, "DashboardName"));
  const dashboard = cloudwatch.dashboards.get(name);
  if (dashboard === undefined) throw new ResourceNotFoundError(`Dashboard ${name} does not exist`, "DashboardNotFoundError");
  return { DashboardArn: cloudwatch.arn(`dashboard/${name}`), DashboardBody: dashboard.body, DashboardName: name };
}

export function listDashboards(cloudwatch: CloudWatch, input: Input): Input {
  const prefix = text(input, "DashboardNamePrefix") ?? "";
  return {
    DashboardEntries: [...cloudwatch.dashboards.values()]
      .filter((dashboard) => dashboard.name.startsWith(prefix))
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((dashboard) => ({ DashboardName: dashboard.name, DashboardArn: cloudwatch.arn(`dashboard/${dashboard.name}`), LastModified: dashboard.lastModified, Size: Buffer.byteLength(dashboard.body) })),
  };
}

export function deleteDashboards(cloudwatch: CloudWatch, input: Input): Input {
  const names = listOf(input, "DashboardNames").map(String);
  const missing = names.filter((name) => !cloudwatch.dashboards.has(name));
  if (missing.length > 0) throw new ResourceNotFoundError(`Dashboards not found: ${missing.join(", ")}`, "DashboardNotFoundError");
  for (const name of names) cloudwatch.deleteDashboard(name);
  return {};
}
