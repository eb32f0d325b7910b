import { fieldsOf, framingOf, type LineFields } from "./log-fields.ts";
import { InvocationTracker } from "./invocation-tracker.ts";

export interface LogEntry extends LineFields {
  /** Increases by one per line, so a poller can ask for what came after the last it saw. */
  readonly seq: number;
  /** Epoch ms when the cloud received it. */
  readonly time: number;
  readonly source: string;
  readonly line: string;
  /** The invocation it was logged in, when that can be told. */
  readonly requestId?: string;
}

export interface LogFilter {
  readonly correlationId?: string;
  readonly source?: string;
  /** Only lines with a greater seq. */
  readonly after?: number;
  /** The newest this many. @default 200 */
  readonly limit?: number;
}

export interface LogRingOptions {
  /** Lines kept. @default 5000 */
  readonly lines?: number;
  /** Finished invocations kept for timelines. @default 5000 */
  readonly invocations?: number;
  readonly now?: () => number;
}

/**
 * The recent log lines of the whole cloud, bounded: the oldest line goes when a new one
 * comes past the capacity. Reads Lambda's framing lines as it goes, so it knows which
 * invocation each function line belongs to and how long each invocation took.
 */
export class LogRing {
  readonly invocations: InvocationTracker;
  /** A circular buffer: the line with seq n is at (n - 1) % capacity. */
  private readonly entries: (LogEntry | undefined)[];
  private readonly capacity: number;
  private readonly seenSources = new Set<string>();
  private readonly now: () => number;
  private seq = 0;

  constructor(options: LogRingOptions = {}) {
    this.capacity = options.lines ?? 5000;
    this.entries = new Array<LogEntry | undefined>(this.capacity);
    this.now = options.now ?? Date.now;
    this.invocations = new InvocationTracker(options.invocations ?? 5000);
  }

  /** A LogSink: `(source, line, stream)`. */
  readonly add = (source: string, line: string, stream?: string): void => {
    const time = this.now();
    const framing = framingOf(line);
    let requestId: string | undefined;
    let fields: LineFields = {};
    if (framing?.kind === "start") this.invocations.started(source, framing.requestId, stream, time);
    if (framing !== undefined) requestId = framing.requestId;
    else {
      fields = fieldsOf(line);
      const invocation = this.invocations.attribute(source, stream);
      if (invocation !== undefined) {
        requestId = invocation.requestId;
        if (fields.correlationId !== undefined) invocation.correlationIds.add(fields.correlationId);
        if (fields.level === "ERROR") invocation.error = true;
      }
    }
    if (framing?.kind === "end") this.invocations.ended(source, framing.requestId, time);
    if (framing?.kind === "report") this.invocations.reported(source, framing.requestId, framing.durationMs, time);
    this.seq += 1;
    this.seenSources.add(source);
    this.entries[(this.seq - 1) % this.capacity] = { seq: this.seq, time, source, line, ...fields, ...(requestId === undefined ? {} : { requestId }) };
  };

  /** Matching lines, oldest first: the newest `limit` of them. */
  lines(filter: LogFilter = {}): LogEntry[] {
    const limit = filter.limit ?? 200;
    const matching: LogEntry[] = [];
    const oldest = Math.max(1, this.seq - this.capacity + 1);
    for (let seq = this.seq; seq >= oldest && matching.length < limit; seq -= 1) {
      const entry = this.entries[(seq - 1) % this.capacity];
      if (entry === undefined) continue;
      if (filter.after !== undefined && entry.seq <= filter.after) break;
      if (filter.source !== undefined && entry.source !== filter.source) continue;
      if (filter.correlationId !== undefined && entry.correlationId !== filter.correlationId) continue;
      matching.push(entry);
    }
    return matching.reverse();
  }

  /** The correlation id the newest line about this order carried, if any line did. */
  correlationIdOfOrder(orderId: string): string | undefined {
    const oldest = Math.max(1, this.seq - this.capacity + 1);
    for (let seq = this.seq; seq >= oldest; seq -= 1) {
      const entry = this.entries[(seq - 1) % this.capacity];
      if (entry?.orderId === orderId && entry.correlationId !== undefined) return entry.correlationId;
    }
    return undefined;
  }

  /** Sources seen, for the console's filter. */
  sources(): string[] {
    return [...this.seenSources].sort();
  }

  /** The seq of the newest line (0 before any). */
  get lastSeq(): number {
    return this.seq;
  }
}
