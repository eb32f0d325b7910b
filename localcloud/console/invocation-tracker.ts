import type { FunctionActivity } from "../monitoring/monitoring-view.ts";

/** One invocation of a function as its START / END / REPORT lines told it. */
export interface Invocation {
  /** The log source: the function's display name. */
  readonly source: string;
  readonly requestId: string;
  /** The sandbox's log stream, when the sink was told it. */
  readonly stream?: string;
  /** Epoch ms. */
  readonly start: number;
  end?: number;
  durationMs?: number;
  error: boolean;
  /** Correlation ids of the lines logged in it. */
  readonly correlationIds: Set<string>;
}

const DURATIONS_KEPT = 1000;

interface Counters {
  invocations: number;
  errors: number;
  /** The last DURATIONS_KEPT durations, oldest first. */
  durations: number[];
}

/**
 * Which invocations are running and which ran, from the framing lines. A line of a
 * function is attributed to the invocation open in its log stream (a sandbox runs one
 * at a time, as on Lambda); without a stream, to the only open one of its function.
 */
export class InvocationTracker {
  private readonly open = new Map<string, Invocation[]>();
  private readonly finished: Invocation[] = [];
  private readonly counters = new Map<string, Counters>();

  constructor(private readonly capacity: number) {}

  started(source: string, requestId: string, stream: string | undefined, now: number): void {
    const invocation: Invocation = { source, requestId, start: now, error: false, correlationIds: new Set(), ...(stream === undefined ? {} : { stream }) };
    this.open.set(source, [...(this.open.get(source) ?? []), invocation]);
  }

  ended(source: string, requestId: string, now: number): void {
    const invocation = this.find(source, requestId);
    if (invocation !== undefined && invocation.end === undefined) invocation.end = now;
  }

  /** The REPORT line closes the invocation and counts it. */
  reported(source: string, requestId: string, durationMs: number, now: number): void {
    const running = this.open.get(source) ?? [];
    const invocation = running.find((i) => i.requestId === requestId);
    if (invocation === undefined) return;
    this.open.set(source, running.filter((i) => i !== invocation));
    invocation.end ??= now;
    invocation.durationMs = durationMs;
    this.finished.push(invocation);
    // Trimmed in chunks, so a busy cloud does not move the whole array per invocation.
    if (this.finished.length > this.capacity * 1.25) this.finished.splice(0, this.finished.length - this.capacity);
    const counters = this.counters.get(source) ?? { invocations: 0, errors: 0, durations: [] };
    counters.invocations += 1;
    if (invocation.error) counters.errors += 1;
    counters.durations.push(durationMs);
    if (counters.durations.length > DURATIONS_KEPT) counters.durations.shift();
    this.counters.set(source, counters);
  }

  /** The invocation a function's line belongs to, if it can be told. */
  attribute(source: string, stream: string | undefined): Invocation | undefined {
    const running = this.open.get(source) ?? [];
    if (stream !== undefined) {
      const inStream = running.find((i) => i.stream === stream);
      if (inStream !== undefined) return inStream;
    }
    return running.length === 1 ? running[0] : undefined;
  }

  /** Running and recent invocations that logged a line with this correlation id, oldest first. */
  withCorrelationId(correlationId: string): Invocation[] {
    const running = [...this.open.values()].flat();
    return [...this.finished, ...running].filter((i) => i.correlationIds.has(correlationId)).sort((a, b) => a.start - b.start);
  }

  /** Per function since the cloud started: what the monitoring would say, counted from the log lines. */
  activity(): FunctionActivity[] {
    return [...this.counters.entries()]
      .map(([functionName, c]) => ({ functionName, invocations: c.invocations, errors: c.errors, durationMs: percentiles(c.durations) }))
      .sort((a, b) => a.functionName.localeCompare(b.functionName));
  }

  private find(source: string, requestId: string): Invocation | undefined {
    return (this.open.get(source) ?? []).find((i) => i.requestId === requestId);
  }
}

function percentiles(values: readonly number[]): FunctionActivity["durationMs"] {
  if (values.length === 0) return { p50: 0, p99: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
}
