/** The console's view of the local cloud's CloudWatch and X-Ray stores. */
import type { CloudWatch } from "../cloudwatch/cloudwatch.ts";
import { alignedStart } from "../cloudwatch/metric-operations.ts";
import { widgetsOf } from "./dashboard-widgets.ts";
import type { AlarmView, DashboardView, FunctionActivity, MetricQuery, MetricSeries, MonitoringView, TraceSegmentView, TraceSummary } from "./monitoring-view.ts";

/** Where traces come from; without one, there are none. */
export interface TraceSource {
  traces(limit: number): readonly TraceSummary[];
  trace(traceId: string): readonly TraceSegmentView[] | undefined;
}

export class LocalMonitoring implements MonitoringView {
  constructor(
    private readonly cloudwatch: CloudWatch,
    private readonly functionNames: () => readonly string[],
    private readonly traceSource?: TraceSource,
  ) {}

  series(query: MetricQuery): MetricSeries {
    const metric = { namespace: query.namespace, metricName: query.metricName, dimensions: query.dimensions };
    const start = alignedStart(query.startTime.getTime(), query.periodSeconds);
    const values = this.cloudwatch.metrics.periods(metric, query.stat, query.periodSeconds, start, query.endTime.getTime());
    return { label: query.metricName, timestamps: values.timestamps.map((t) => new Date(t).toISOString()), values: values.values };
  }

  alarms(): readonly AlarmView[] {
    return this.cloudwatch.alarms.list().map((alarm) => ({
      name: alarm.definition.name,
      ...(alarm.definition.description !== undefined ? { description: alarm.definition.description } : {}),
      state: alarm.state,
      reason: alarm.reason,
      updatedAt: alarm.stateUpdatedAt.toISOString(),
    }));
  }

  dashboards(): readonly DashboardView[] {
    return [...this.cloudwatch.dashboards.values()]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((dashboard) => ({ name: dashboard.name, widgets: widgetsOf(dashboard.body) }));
  }

  functionActivity(): readonly FunctionActivity[] {
    return [...this.functionNames()].sort().map((functionName) => ({ functionName, ...this.cloudwatch.activity.summary(functionName) }));
  }

  traces(options: { readonly limit: number }): readonly TraceSummary[] {
    return this.traceSource?.traces(options.limit) ?? [];
  }

  trace(traceId: string): readonly TraceSegmentView[] | undefined {
    return this.traceSource?.trace(traceId);
  }
}
