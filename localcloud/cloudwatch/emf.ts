/**
 * CloudWatch embedded metric format: a JSON log line whose `_aws.CloudWatchMetrics`
 * names the metrics and their dimension sets; the values are top-level members.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import type { MetricIdentity } from "./metric-store.ts";

export interface EmfDatapoint {
  readonly metric: MetricIdentity;
  /** Epoch milliseconds. */
  readonly timestamp: number;
  readonly values: readonly number[];
  readonly unit?: string;
}

interface Directive {
  readonly Namespace?: unknown;
  readonly Dimensions?: unknown;
  readonly Metrics?: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The datapoints of one log line; none when it is not EMF. The JSON may follow a prefix
 * (a runtime's "timestamp\trequestId\tINFO\t"), as CloudWatch Logs still finds it there.
 */
export function parseEmfLine(line: string, now: number = Date.now()): EmfDatapoint[] {
  if (!line.includes('"CloudWatchMetrics"')) return [];
  const start = line.indexOf("{");
  if (start < 0) return [];
  let document: unknown;
  try {
    document = JSON.parse(line.slice(start));
  } catch {
    return [];
  }
  if (!isObject(document) || !isObject(document._aws)) return [];
  const timestamp = typeof document._aws.Timestamp === "number" ? document._aws.Timestamp : now;
  const directives = Array.isArray(document._aws.CloudWatchMetrics) ? (document._aws.CloudWatchMetrics as unknown[]) : [];
  return directives.flatMap((directive) => (isObject(directive) ? datapointsOf(directive as Directive, document as Record<string, unknown>, timestamp) : []));
}

function datapointsOf(directive: Directive, document: Record<string, unknown>, timestamp: number): EmfDatapoint[] {
  if (typeof directive.Namespace !== "string" || !Array.isArray(directive.Metrics)) return [];
  const namespace = directive.Namespace;
  // No dimension set at all still publishes the metric, without dimensions.
  const sets = Array.isArray(directive.Dimensions) && directive.Dimensions.length > 0 ? (directive.Dimensions as unknown[]) : [[]];
  const points: EmfDatapoint[] = [];
  for (const definition of directive.Metrics as unknown[]) {
    if (!isObject(definition) || typeof definition.Name !== "string") continue;
    const values = valuesOf(document[definition.Name]);
    if (values.length === 0) continue;
    const unit = typeof definition.Unit === "string" ? definition.Unit : undefined;
    for (const set of sets) {
      const dimensions = dimensionsOf(set, document);
      if (dimensions === undefined) continue;
      points.push({ metric: { namespace, metricName: definition.Name, dimensions }, timestamp, values, ...(unit ? { unit } : {}) });
    }
  }
  return points;
}

function valuesOf(value: unknown): number[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item): item is number => typeof item === "number" && Number.isFinite(item));
}

/** A set naming a member the line lacks (or that is not a string) is invalid, and CloudWatch drops it. */
function dimensionsOf(set: unknown, document: Record<string, unknown>): Record<string, string> | undefined {
  if (!Array.isArray(set)) return undefined;
  const dimensions: Record<string, string> = {};
  for (const name of set) {
    const value = typeof name === "string" ? document[name] : undefined;
    if (typeof name !== "string" || typeof value !== "string") return undefined;
    dimensions[name] = value;
  }
  return dimensions;
}
