/**
 * What the local cloud's monitoring shows to its console: metrics, alarms, dashboards,
 * per-function activity and trace segments. It knows nothing of the stack it runs.
 */

export type MetricStat = "Sum" | "Average" | "Maximum" | "Minimum" | "SampleCount" | `p${number}`;

export interface MetricQuery {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly stat: MetricStat;
  readonly periodSeconds: number;
  readonly startTime: Date;
  readonly endTime: Date;
}

/** One series, oldest point first; a period without data has no point. */
export interface MetricSeries {
  readonly label: string;
  /** ISO 8601, the start of each period. */
  readonly timestamps: readonly string[];
  readonly values: readonly number[];
}

export type AlarmStateValue = "OK" | "ALARM" | "INSUFFICIENT_DATA";

export interface AlarmView {
  readonly name: string;
  readonly description?: string;
  readonly state: AlarmStateValue;
  readonly reason: string;
  /** ISO 8601 of the last state change. */
  readonly updatedAt: string;
}

/** A graph of a dashboard: its metrics, without a time range (the viewer picks it). */
export interface DashboardWidgetView {
  readonly title: string;
  readonly metrics: readonly (Omit<MetricQuery, "startTime" | "endTime"> & { readonly label?: string })[];
}

export interface DashboardView {
  readonly name: string;
  readonly widgets: readonly DashboardWidgetView[];
}

/** Invocations since the cloud started. */
export interface FunctionActivity {
  readonly functionName: string;
  readonly invocations: number;
  readonly errors: number;
  /** Of the last invocations (up to 1,000). */
  readonly durationMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

export interface TraceSummary {
  readonly traceId: string;
  /** Name of the first segment, e.g. "POST /orders" or a function's name. */
  readonly name: string;
  /** Epoch seconds. */
  readonly startTime: number;
  readonly durationSeconds: number;
  readonly segments: number;
  readonly error: boolean;
}

/** A segment or subsegment, as X-Ray's segment documents have it (times in epoch seconds). */
export interface TraceSegmentView {
  readonly traceId: string;
  readonly id: string;
  readonly parentId?: string;
  readonly name: string;
  /** e.g. "AWS::ApiGateway::Stage", "AWS::Lambda::Function", or undefined for a subsegment. */
  readonly origin?: string;
  readonly startTime: number;
  readonly endTime?: number;
  readonly error?: boolean;
  readonly annotations?: Readonly<Record<string, string | number | boolean>>;
}

export interface MonitoringView {
  series(query: MetricQuery): MetricSeries;
  alarms(): readonly AlarmView[];
  dashboards(): readonly DashboardView[];
  functionActivity(): readonly FunctionActivity[];
  /** Newest first. */
  traces(options: { readonly limit: number }): readonly TraceSummary[];
  trace(traceId: string): readonly TraceSegmentView[] | undefined;
}
