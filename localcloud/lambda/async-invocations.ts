/**
 * `Event` invocations: run in the background, a failure is retried twice (as
 * Lambda does, after about one and two minutes there; configurable here), then dropped.
 */
import type { InvokeResult } from "../types.ts";

export const DEFAULT_ASYNC_RETRY_DELAYS_MS: readonly number[] = [1000, 2000];

export class AsyncInvocations {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly retryDelaysMs: readonly number[],
    private readonly log: (source: string, line: string) => void,
  ) {}

  /** `attempt` runs the invocation once; it is looked up anew on each try, so a replaced function's new code runs. */
  enqueue(source: string, attempt: () => Promise<InvokeResult>): void {
    void this.tryOnce(source, attempt, 0);
  }

  /** Cancels pending retries; an attempt already running finishes on its own. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async tryOnce(source: string, attempt: () => Promise<InvokeResult>, retriesDone: number): Promise<void> {
    let failure: string;
    try {
      const result = await attempt();
      if (result.functionError === undefined) return;
      failure = result.payload;
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    if (this.stopped) return;
    const delay = this.retryDelaysMs[retriesDone];
    if (delay === undefined) {
      this.log(source, `Async invocation dropped after ${retriesDone + 1} attempts: ${failure}`);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.tryOnce(source, attempt, retriesDone + 1);
    }, delay);
    this.timers.add(timer);
  }
}
