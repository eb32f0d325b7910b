/** PutMetricData, GetMetricStatistics, GetMetricData and ListMetrics over the metric store. */
import { metricDataQueryOf, metricDataQuerySchema } from "./alarm-input.ts";
import { runQueries } from "./alarm-definition.ts";
import { InvalidParameterValueError } from "./errors.ts";
import type { MetricStore } from "./metric-store.ts";
import { isStatistic, type Sample } from "./statistics.ts";
import { dateOf, dimensionList, dimensionMap, type Input, listOf, numberOf, objectOf, required, text } from "./wire-values.ts";

export function putMetricData(store: MetricStore, input: Input): Input {
  const namespace = String(required(input, "Namespace"));
  if (namespace.startsWith("AWS/")) throw new InvalidParameterValueError(`The value ${namespace} for parameter Namespace is invalid: the AWS/ namespaces are reserved.`);
  const now = Date.now();
  for (const entry of listOf(input, "MetricData").map(objectOf)) {
    const metric = { namespace, metricName: String(required(entry, "MetricName")), dimensions: dimensionMap(listOf(entry, "Dimensions")) };
    const timestamp = entry["Timestamp"] === undefined ? now : dateOf(entry["Timestamp"], "Timestamp").getTime();
    for (const sample of samplesOf(entry, timestamp)) store.put(metric, sample);
  }
  return {};
}

function samplesOf(entry: Input, timestamp: number): Sample[] {
  const set = entry["StatisticValues"];
  if (set !== undefined) {
    const values = objectOf(set);
    const count = numberOf(values["SampleCount"], "StatisticValues.SampleCount");
    return [{ timestamp, count, sum: numberOf(values["Sum"], "StatisticValues.Sum"), min: numberOf(values["Minimum"], "StatisticValues.Minimum"), max: numberOf(values["Maximum"], "StatisticValues.Maximum"), values: [] }];
  }
  const values = listOf(entry, "Values");
  if (values.length > 0) {
    const counts = listOf(entry, "Counts");
    return values.map((raw, index) => {
      const value = numberOf(raw, "Values");
      const count = counts[index] === undefined ? 1 : numberOf(counts[index], "Counts");
      return { timestamp, count, sum: value * count, min: value, max: value, values: Array.from({ length: Math.min(count, 1000) }, () => value) };
    });
  }
  const value = numberOf(required(entry, "Value"), "Value");
  return [{ timestamp, count: 1, sum: value, min: value, max: value, values: [value] }];
}

/** CloudWatch's periods start on whole multiples of the period (a minute's at :00), not at StartTime. */
export function alignedStart(start: number, periodSeconds: number): number {
  const periodMs = periodSeconds * 1000;
  return Math.floor(start / periodMs) * periodMs;
}

export function getMetricStatistics(store: MetricStore, input: Input): Input {
  const metric = { namespace: String(required(input, "Namespace")), metricName: String(required(input, "MetricName")), dimensions: dimensionMap(listOf(input, "Dimensions")) };
  const period = numberOf(required(input, "Period"), "Period");
  if (period <= 0) throw new InvalidParameterValueError("Period must be greater than 0.");
  const start = alignedStart(dateOf(required(input, "StartTime"), "StartTime").getTime(), period);
  const end = dateOf(required(input, "EndTime"), "EndTime").getTime();
  const statistics = listOf(input, "Statistics").map(String);
  const extended = listOf(input, "ExtendedStatistics").map(String);
  if (statistics.length + extended.length === 0) throw new InvalidParameterValueError("Statistics or ExtendedStatistics must be given.");
  for (const stat of [...statistics, ...extended]) if (!isStatistic(stat)) throw new InvalidParameterValueError(`The value ${stat} for parameter Statistics is not valid.`);
  const byTime = new Map<number, Input>();
  const add = (stat: string, into: (point: Input, value: number) => void) => {
    const values = store.periods(metric, stat, period, start, end);
    values.timestamps.forEach((timestamp, index) => {
      const point = byTime.get(timestamp) ?? { Timestamp: new Date(timestamp), Unit: "None" };
      byTime.set(timestamp, point);
      into(point, values.values[index] ?? 0);
    });
  };
  for (const stat of statistics) add(stat, (point, value) => (point[stat] = value));
  for (const stat of extended) add(stat, (point, value) => (point["ExtendedStatistics"] = { ...objectOf(point["ExtendedStatistics"]), [stat]: value }));
  return { Label: metric.metricName, Datapoints: [...byTime.keys()].sort((a, b) => a - b).map((t) => byTime.get(t)) };
}

export function getMetricData(store: MetricStore, input: Input): Input {
  const queries = listOf(input, "MetricDataQueries").map((raw, index) => {
    const parsed = metricDataQuerySchema.safeParse(raw);
    if (!parsed.success) throw new InvalidParameterValueError(`MetricDataQueries.member.${index + 1}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    return metricDataQueryOf(parsed.data);
  });
  const period = queries.find((query) => query.metricStat)?.metricStat?.periodSeconds ?? 60;
  const start = alignedStart(dateOf(required(input, "StartTime"), "StartTime").getTime(), period);
  const end = dateOf(required(input, "EndTime"), "EndTime").getTime();
  let results;
  try {
    results = runQueries(store, queries, start, end);
  } catch (error) {
    throw new InvalidParameterValueError(error instanceof Error ? error.message : String(error));
  }
  const descending = (text(input, "ScanBy") ?? "TimestampDescending") === "TimestampDescending";
  return {
    MetricDataResults: queries
      .filter((query) => query.returnData !== false)
      .map((query) => {
        const values = results.get(query.id) ?? { timestamps: [], values: [] };
        const order = values.timestamps.map((_, index) => index);
        if (descending) order.reverse();
        return {
          Id: query.id,
          Label: query.label ?? query.metricStat?.metric.metricName ?? query.id,
          Timestamps: order.map((index) => new Date(values.timestamps[index] ?? 0)),
          Values: order.map((index) => values.values[index] ?? 0),
          StatusCode: "Complete",
        };
      }),
    Messages: [],
  };
}

export function listMetrics(store: MetricStore, input: Input): Input {
  const dimensions = listOf(input, "Dimensions").map(objectOf).map((filter) => ({ name: String(filter["Name"] ?? ""), ...(filter["Value"] !== undefined ? { value: String(filter["Value"]) } : {}) }));
  const namespace = text(input, "Namespace");
  const metricName = text(input, "MetricName");
  const metrics = store.list({ ...(namespace !== undefined ? { namespace } : {}), ...(metricName !== undefined ? { metricName } : {}), dimensions });
  return { Metrics: metrics.map((metric) => ({ Namespace: metric.namespace, MetricName: metric.metricName, Dimensions: dimensionList(metric.dimensions) })) };
}
