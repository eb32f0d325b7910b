/** The segments of the last traces, from the local cloud itself and from the functions' X-Ray SDK. */
import type { TraceSegmentView, TraceSummary } from "../monitoring/monitoring-view.ts";

const DEFAULT_TRACE_LIMIT = 1000;

export class TraceStore {
  /** In order of each trace's first segment; a Map keeps insertion order. */
  private readonly traces = new Map<string, Map<string, TraceSegmentView>>();

  constructor(private readonly limit = DEFAULT_TRACE_LIMIT) {}

  /** A segment sent again (in progress, then complete) replaces the earlier one. */
  add(segment: TraceSegmentView): void {
    let segments = this.traces.get(segment.traceId);
    if (segments === undefined) {
      segments = new Map();
      this.traces.set(segment.traceId, segments);
      if (this.traces.size > this.limit) this.traces.delete(this.traces.keys().next().value ?? "");
    }
    segments.set(segment.id, segment);
  }

  /** Newest first. */
  traceSummaries(limit: number): TraceSummary[] {
    return [...this.traces.keys()].reverse().slice(0, Math.max(0, limit)).map((traceId) => summaryOf(traceId, [...(this.traces.get(traceId)?.values() ?? [])]));
  }

  /** Oldest first. */
  segments(traceId: string): TraceSegmentView[] | undefined {
    const segments = this.traces.get(traceId);
    return segments && [...segments.values()].sort((a, b) => a.startTime - b.startTime);
  }
}

function summaryOf(traceId: string, segments: TraceSegmentView[]): TraceSummary {
  const sorted = [...segments].sort((a, b) => a.startTime - b.startTime);
  const root = sorted.find((segment) => segment.parentId === undefined || !segments.some((other) => other.id === segment.parentId)) ?? sorted[0];
  const start = sorted[0]?.startTime ?? 0;
  const end = Math.max(...segments.map((segment) => segment.endTime ?? segment.startTime));
  return { traceId, name: root?.name ?? traceId, startTime: start, durationSeconds: Math.max(0, end - start), segments: segments.length, error: segments.some((segment) => segment.error === true) };
}
