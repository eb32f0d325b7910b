/**
 * The graphs of a CloudWatch dashboard body. A metric row is
 * `[namespace, metricName, dimName, dimValue, …, { stat, period, label }]`, and "." repeats
 * the entry at the same place in the row before (the console writes rows that way).
 * Expression rows and text widgets have no metric to show and are left out.
 */
import type { DashboardWidgetView, MetricStat } from "./monitoring-view.ts";

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

export function widgetsOf(body: string): DashboardWidgetView[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const widgets = isObject(parsed) && Array.isArray(parsed.widgets) ? parsed.widgets : [];
  return widgets.flatMap((widget): DashboardWidgetView[] => {
    if (!isObject(widget) || widget.type !== "metric" || !isObject(widget.properties)) return [];
    const properties = widget.properties;
    const rows = Array.isArray(properties.metrics) ? properties.metrics : [];
    const stat = typeof properties.stat === "string" ? properties.stat : "Average";
    const period = typeof properties.period === "number" ? properties.period : 300;
    let previous: unknown[] = [];
    const metrics = rows.flatMap((row) => {
      if (!Array.isArray(row)) return [];
      const options = isObject(row[row.length - 1]) ? (row[row.length - 1] as Record<string, unknown>) : {};
      const entries = (isObject(row[row.length - 1]) ? row.slice(0, -1) : row).map((entry, index) => (entry === "." ? previous[index] : entry));
      previous = entries;
      if (entries.length < 2 || entries.some((entry) => typeof entry !== "string")) return [];
      const [namespace, metricName, ...pairs] = entries as string[];
      const dimensions: Record<string, string> = {};
      for (let i = 0; i + 1 < pairs.length; i += 2) dimensions[pairs[i] ?? ""] = pairs[i + 1] ?? "";
      return [{
        namespace: namespace ?? "",
        metricName: metricName ?? "",
        dimensions,
        stat: (typeof options.stat === "string" ? options.stat : stat) as MetricStat,
        periodSeconds: typeof options.period === "number" ? options.period : period,
        ...(typeof options.label === "string" ? { label: options.label } : {}),
      }];
    });
    return [{ title: typeof properties.title === "string" ? properties.title : metrics.map((metric) => metric.metricName).join(", "), metrics }];
  });
}
