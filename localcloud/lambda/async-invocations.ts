/**
 * `Event` invocations: run in the background, a failure is retried twice (as
 * Lambda does, after about one and two minutes there; configurable here), then dropped.
 */
import type { InvokeResult } from "../types.ts";

export const DEFAULT_ASYNC_RETRY_DELAYS_MS: readonly number[] = [1000, 2000];

/** How one invocation is tracked; the durable store uses these to follow it on disk. */
export interface AsyncTracking {
  /** Retries already spent (a replayed invocation resumes with what remains). @default 0 */
  readonly retriesDone?: number;
  /** Runs before retry number `retriesDone` is scheduled. */
  readonly beforeRetry?: (retriesDone: number) => Promise<void>;
  /** Runs once the invocation succeeded or was dropped, not when it was cut off by stop(). */
  readonly finished?: () => Promise<void>;
}

export class AsyncInvocations {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly retryDelaysMs: readonly number[],
    private readonly log: (source: string, line: string) => void,
  ) {}

  /** `attempt` runs the invocation once; it is looked up anew on each try, so a replaced function's new code runs. */
  enqueue(source: string, attempt: () => Promise<InvokeResult>, tracking: AsyncTracking = {}): void {
    void this.tryOnce(source, attempt, tracking, tracking.retriesDone ?? 0);
  }

  /** Cancels pending retries; an attempt already running finishes on its own. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async tryOnce(source: string, attempt: () => Promise<InvokeResult>, tracking: AsyncTracking, retriesDone: number): Promise<void> {
    let failure: string;
    try {
      const result = await attempt();
      if (result.functionError === undefined) return await this.finish(source, tracking);
      failure = result.payload;
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    // Stopped: the attempt was most likely cut off, so it stays pending (and on disk, if kept there).
    if (this.stopped) return;
    const delay = this.retryDelaysMs[retriesDone];
    if (delay === undefined) {
      this.log(source, `Async invocation dropped after ${retriesDone + 1} attempts: ${failure}`);
      return await this.finish(source, tracking);
    }
    try {
      await tracking.beforeRetry?.(retriesDone + 1);
    } catch (error) {
      this.log(source, `Could not record the retry of an async invocation: ${describe(error)}`);
    }
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.tryOnce(source, attempt, tracking, retriesDone + 1);
    }, delay);
    this.timers.add(timer);
  }

  private async finish(source: string, tracking: AsyncTracking): Promise<void> {
    try {
      await tracking.finished?.();
    } catch (error) {
      this.log(source, `Could not forget a finished async invocation: ${describe(error)}`);
    }
  }
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
