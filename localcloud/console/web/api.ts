/** The console's JSON API, typed by the server's own views. */
import type { AlarmView, MetricSeries } from "../../monitoring/monitoring-view.ts";
import type { FunctionRow } from "../console-api.ts";
import type { DashboardCharts } from "../dashboard-charts.ts";
import type { LogEntry } from "../log-ring.ts";
import type { QueueDepth } from "../queue-depths.ts";
import type { StackView } from "../stacks-view.ts";
import type { Timeline } from "../timeline.ts";

export type { AlarmView, FunctionRow, LogEntry, MetricSeries, QueueDepth, StackView, Timeline };

export interface Overview {
  readonly stacks: readonly StackView[];
  readonly queues: readonly QueueDepth[];
  readonly functions: readonly FunctionRow[];
  readonly activityFrom: "logs" | "monitoring";
  readonly alarms: readonly AlarmView[] | null;
  readonly monitoring: boolean;
  readonly lastSeq: number;
  readonly time: string;
}

export interface LogPage {
  readonly lines: readonly LogEntry[];
  readonly lastSeq: number;
  readonly sources: readonly string[];
}

export type Charts = ({ readonly available: true } & DashboardCharts) | { readonly available: false };

const BASE = "/_localcloud/api";

async function get<T>(path: string): Promise<T> {
  const response = await fetch(`${BASE}/${path}`, { cache: "no-store" });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export const api = {
  overview: () => get<Overview>("overview"),
  logs: (filter: { correlationId?: string; source?: string; limit?: number }) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filter)) if (value !== undefined && value !== "") query.set(key, String(value));
    return get<LogPage>(`logs?${query}`);
  },
  correlations: () => get<{ correlationIds: string[] }>("correlations"),
  /** By correlation id or order id; `asked` is what was asked, `correlationId` what it resolved to. */
  timeline: (id: string) => get<Timeline & { asked: string }>(`timeline/${encodeURIComponent(id)}`),
  charts: (minutes: number) => get<Charts>(`charts?minutes=${minutes}`),
};
