import type { MetricSeries, MonitoringView } from "../monitoring/monitoring-view.ts";

export interface ChartView {
  readonly title: string;
  readonly series: readonly MetricSeries[];
}

export interface DashboardCharts {
  readonly dashboards: readonly { readonly name: string; readonly charts: readonly ChartView[] }[];
  /** ISO 8601: the range every chart covers. */
  readonly startTime: string;
  readonly endTime: string;
}

/** Every dashboard's graphs with their data over the last `minutes`. */
export function dashboardCharts(monitoring: MonitoringView, minutes: number, now: number): DashboardCharts {
  const endTime = new Date(now);
  const startTime = new Date(now - minutes * 60_000);
  const dashboards = monitoring.dashboards().map((dashboard) => ({
    name: dashboard.name,
    charts: dashboard.widgets.map((widget) => ({
      title: widget.title,
      series: widget.metrics.map((metric) => {
        const { label, ...query } = metric;
        const series = monitoring.series({ ...query, startTime, endTime });
        return { ...series, label: label ?? series.label };
      }),
    })),
  }));
  return { dashboards, startTime: startTime.toISOString(), endTime: endTime.toISOString() };
}
