/** The datapoints of every metric, kept in memory for a trailing window (CloudWatch keeps them for months). */
import { type Sample, statisticOf } from "./statistics.ts";

export type Dimensions = Readonly<Record<string, string>>;

export interface MetricIdentity {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Dimensions;
}

/** One series of period statistics, oldest first; a period without samples has no point. */
export interface PeriodValues {
  /** Epoch milliseconds, the start of each period. */
  readonly timestamps: number[];
  readonly values: number[];
}

/** ListMetrics' filter: a dimension without a value matches any value of that name. */
export interface MetricFilter {
  readonly namespace?: string;
  readonly metricName?: string;
  readonly dimensions?: readonly { readonly name: string; readonly value?: string }[];
}

interface Series {
  readonly identity: MetricIdentity;
  /** In arrival order; timestamps may come out of order (PutMetricData may backdate). */
  samples: Sample[];
}

export const DEFAULT_RETENTION_MS = 3 * 60 * 60 * 1000;

/** A metric is its namespace, name and exact set of dimensions, as in CloudWatch. */
export function metricKey(metric: MetricIdentity): string {
  const dimensions = Object.entries(metric.dimensions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([metric.namespace, metric.metricName, dimensions]);
}

export class MetricStore {
  private readonly series = new Map<string, Series>();

  constructor(private readonly retentionMs = DEFAULT_RETENTION_MS, private readonly now: () => number = Date.now) {}

  put(metric: MetricIdentity, sample: Sample): void {
    const oldest = this.now() - this.retentionMs;
    if (sample.timestamp < oldest) return;
    const key = metricKey(metric);
    let series = this.series.get(key);
    if (series === undefined) {
      series = { identity: { namespace: metric.namespace, metricName: metric.metricName, dimensions: { ...metric.dimensions } }, samples: [] };
      this.series.set(key, series);
    }
    const last = series.samples[series.samples.length - 1];
    // Samples of the same second are merged, so a busy function costs at most one per second and metric.
    if (last !== undefined && Math.floor(last.timestamp / 1000) === Math.floor(sample.timestamp / 1000)) {
      series.samples[series.samples.length - 1] = merged(last, sample);
    } else {
      series.samples.push(sample);
    }
    // Prune now and then rather than on every put: the first sample is the oldest most of the time.
    const first = series.samples[0];
    if (first !== undefined && first.timestamp < oldest) series.samples = series.samples.filter((s) => s.timestamp >= oldest);
  }

  /**
   * The statistic per period in [start, end): periods are aligned on `start`, so a
   * caller asking for the trailing windows (alarms) gets exactly those.
   */
  periods(metric: MetricIdentity, stat: string, periodSeconds: number, start: number, end: number): PeriodValues {
    const samples = this.series.get(metricKey(metric))?.samples ?? [];
    const periodMs = periodSeconds * 1000;
    const buckets = new Map<number, Sample[]>();
    for (const sample of samples) {
      if (sample.timestamp < start || sample.timestamp >= end) continue;
      const bucket = start + Math.floor((sample.timestamp - start) / periodMs) * periodMs;
      const list = buckets.get(bucket);
      if (list) list.push(sample);
      else buckets.set(bucket, [sample]);
    }
    const timestamps: number[] = [];
    const values: number[] = [];
    for (const bucket of [...buckets.keys()].sort((a, b) => a - b)) {
      const value = statisticOf(stat, buckets.get(bucket) ?? []);
      if (value === undefined) continue;
      timestamps.push(bucket);
      values.push(value);
    }
    return { timestamps, values };
  }

  /** Metrics with a sample in the window, sorted by namespace, name and dimensions. */
  list(filter: MetricFilter = {}): MetricIdentity[] {
    const oldest = this.now() - this.retentionMs;
    return [...this.series.values()]
      .filter((series) => series.samples.some((sample) => sample.timestamp >= oldest))
      .map((series) => series.identity)
      .filter((metric) => matches(metric, filter))
      .sort((a, b) => (metricKey(a) < metricKey(b) ? -1 : 1));
  }
}

/** Raw values kept per merged sample, for percentiles. */
const MAX_VALUES_PER_SAMPLE = 200;

function merged(a: Sample, b: Sample): Sample {
  const room = Math.max(0, MAX_VALUES_PER_SAMPLE - a.values.length);
  return {
    timestamp: a.timestamp,
    sum: a.sum + b.sum,
    count: a.count + b.count,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    values: room === 0 ? a.values : [...a.values, ...b.values.slice(0, room)],
  };
}

function matches(metric: MetricIdentity, filter: MetricFilter): boolean {
  if (filter.namespace !== undefined && metric.namespace !== filter.namespace) return false;
  if (filter.metricName !== undefined && metric.metricName !== filter.metricName) return false;
  return (filter.dimensions ?? []).every(({ name, value }) => {
    const actual = metric.dimensions[name];
    return actual !== undefined && (value === undefined || actual === value);
  });
}
