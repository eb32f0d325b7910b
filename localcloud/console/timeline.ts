import type { MonitoringView, TraceSegmentView } from "../monitoring/monitoring-view.ts";
import type { Invocation } from "./invocation-tracker.ts";

export interface TimelineBar {
  /** Epoch ms. */
  readonly start: number;
  readonly end: number;
  /** "invocation" from the log lines, "segment" from a trace. */
  readonly kind: "invocation" | "segment";
  readonly label: string;
  readonly error: boolean;
  /** Still running: its end is the time of the answer. */
  readonly running: boolean;
}

/** One function (or traced service), its bars oldest first. */
export interface TimelineRow {
  readonly name: string;
  readonly bars: readonly TimelineBar[];
}

export interface Timeline {
  readonly correlationId: string;
  /** Epoch ms of the first bar's start and the last bar's end (both 0 when there are no rows). */
  readonly start: number;
  readonly end: number;
  /** Ordered by their first bar. */
  readonly rows: readonly TimelineRow[];
  readonly traceIds: readonly string[];
}

/** How many recent traces are searched for the correlation id. */
const TRACES_SEARCHED = 200;

/**
 * An order's path across the functions: one row per function, a bar from START to END
 * of each invocation that logged the correlation id, and the segments of the traces
 * annotated with it (segments of a function land in that function's row).
 */
export function assembleTimeline(
  correlationId: string,
  invocations: readonly Invocation[],
  options: { monitoring?: MonitoringView; displayNameOf?: (name: string) => string | undefined; now: number },
): Timeline {
  const rows = new Map<string, TimelineBar[]>();
  const add = (name: string, bar: TimelineBar) => rows.set(name, [...(rows.get(name) ?? []), bar]);
  for (const invocation of invocations) {
    const running = invocation.end === undefined;
    add(invocation.source, {
      start: invocation.start,
      end: invocation.end ?? options.now,
      kind: "invocation",
      label: invocation.durationMs === undefined ? invocation.requestId : `${invocation.durationMs.toFixed(1)} ms`,
      error: invocation.error,
      running,
    });
  }
  const traced = options.monitoring === undefined ? [] : tracesOf(options.monitoring, correlationId);
  for (const segment of traced.flatMap((t) => t.segments)) {
    const name = options.displayNameOf?.(segment.name) ?? segment.name;
    const start = segment.startTime * 1000;
    const end = segment.endTime === undefined ? options.now : segment.endTime * 1000;
    add(name, { start, end, kind: "segment", label: segment.origin ?? segment.name, error: segment.error ?? false, running: segment.endTime === undefined });
  }
  const ordered = [...rows.entries()]
    .map(([name, bars]) => ({ name, bars: bars.sort((a, b) => a.start - b.start) }))
    .sort((a, b) => (a.bars[0]?.start ?? 0) - (b.bars[0]?.start ?? 0));
  const all = ordered.flatMap((row) => row.bars);
  return {
    correlationId,
    start: all.length === 0 ? 0 : Math.min(...all.map((b) => b.start)),
    end: all.length === 0 ? 0 : Math.max(...all.map((b) => b.end)),
    rows: ordered,
    traceIds: traced.map((t) => t.traceId),
  };
}

/** The recent traces with a segment annotated with the id (under any key), top-level segments only. */
function tracesOf(monitoring: MonitoringView, correlationId: string): { traceId: string; segments: TraceSegmentView[] }[] {
  const found: { traceId: string; segments: TraceSegmentView[] }[] = [];
  for (const summary of monitoring.traces({ limit: TRACES_SEARCHED })) {
    const segments = monitoring.trace(summary.traceId) ?? [];
    const annotated = segments.some((s) => Object.values(s.annotations ?? {}).some((value) => value === correlationId));
    // Subsegments (SDK calls and the like) would crowd the rows; the segments are the services.
    if (annotated) found.push({ traceId: summary.traceId, segments: segments.filter((s) => s.origin !== undefined) });
  }
  return found;
}
