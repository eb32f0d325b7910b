/** What an alarm watches (one metric, or metric math over several) and the datapoints it evaluates. */
import type { AlarmRule } from "./alarm-rules.ts";
import { evaluateExpression } from "./metric-math.ts";
import type { MetricIdentity, MetricStore, PeriodValues } from "./metric-store.ts";

/** One entry of an alarm's (or GetMetricData's) `Metrics`: a metric's statistic, or an expression over other ids. */
export interface MetricDataQuery {
  readonly id: string;
  readonly metricStat?: { readonly metric: MetricIdentity; readonly periodSeconds: number; readonly stat: string };
  readonly expression?: string;
  readonly label?: string;
  /** @default true */
  readonly returnData?: boolean;
  /** An expression's period. */
  readonly periodSeconds?: number;
}

export interface AlarmDefinition extends AlarmRule {
  readonly name: string;
  readonly description?: string;
  readonly actionsEnabled: boolean;
  readonly alarmActions: readonly string[];
  readonly okActions: readonly string[];
  readonly insufficientDataActions: readonly string[];
  /** A single-metric alarm; `stat` is a Statistic or an ExtendedStatistic such as p99. */
  readonly metric?: MetricIdentity & { readonly stat: string; readonly periodSeconds: number; readonly unit?: string };
  /** A metric-math alarm. */
  readonly metrics?: readonly MetricDataQuery[];
}

/** The period an alarm evaluates: its metric's, or that of the metric math's first stat. */
export function periodOf(definition: AlarmDefinition): number {
  if (definition.metric) return definition.metric.periodSeconds;
  const queries = definition.metrics ?? [];
  return queries.find((query) => query.returnData !== false && query.periodSeconds)?.periodSeconds ?? queries.find((query) => query.metricStat)?.metricStat?.periodSeconds ?? 60;
}

/** Every query's values over [start, end), periods aligned on start. */
export function runQueries(store: MetricStore, queries: readonly MetricDataQuery[], start: number, end: number): Map<string, PeriodValues> {
  const results = new Map<string, PeriodValues>();
  for (const query of queries) {
    if (query.metricStat) {
      const { metric, stat, periodSeconds } = query.metricStat;
      results.set(query.id, store.periods(metric, stat, periodSeconds, start, end));
    }
  }
  // Expressions may read other expressions: evaluate until none is left that can be.
  let pending = queries.filter((query) => query.expression !== undefined && !query.metricStat);
  while (pending.length > 0) {
    const ready = pending.filter((query) => !pending.some((other) => other !== query && new RegExp(`\\b${other.id}\\b`).test(query.expression ?? "")));
    if (ready.length === 0) throw new Error(`Metric math expressions refer to each other in a circle: ${pending.map((q) => q.id).join(", ")}`);
    for (const query of ready) results.set(query.id, evaluateExpression(query.expression ?? "", results));
    pending = pending.filter((query) => !ready.includes(query));
  }
  return results;
}

/**
 * The alarm's datapoints for its last EvaluationPeriods periods, oldest first, the
 * last period ending now (undefined where a period has no data).
 */
export function alarmDatapoints(definition: AlarmDefinition, store: MetricStore, now: number): (number | undefined)[] {
  const periodMs = periodOf(definition) * 1000;
  const start = now - definition.evaluationPeriods * periodMs;
  let values: PeriodValues;
  if (definition.metric) {
    values = store.periods(definition.metric, definition.metric.stat, definition.metric.periodSeconds, start, now + 1);
  } else {
    const queries = definition.metrics ?? [];
    const results = runQueries(store, queries, start, now + 1);
    const returned = queries.find((query) => query.returnData !== false) ?? queries[queries.length - 1];
    values = (returned && results.get(returned.id)) ?? { timestamps: [], values: [] };
  }
  const datapoints: (number | undefined)[] = Array.from({ length: definition.evaluationPeriods }, () => undefined);
  values.timestamps.forEach((timestamp, index) => {
    const slot = Math.min(Math.floor((timestamp - start) / periodMs), definition.evaluationPeriods - 1);
    if (slot >= 0) datapoints[slot] = values.values[index];
  });
  return datapoints;
}
