/**
 * The sandboxes of one function: at most `limit` run at once, later invocations
 * wait their turn in arrival order, and warm sandboxes are reused until idle too long.
 */
import type { FunctionWorker } from "./function-worker.ts";

export class PoolStoppedError extends Error {
  constructor(functionName: string) {
    super(`Function ${functionName} was stopped before this invocation could run`);
    this.name = "PoolStoppedError";
  }
}

export interface PoolOptions {
  readonly functionName: string;
  readonly limit: number;
  readonly idleTimeoutMs: number;
  readonly spawn: () => FunctionWorker;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class FunctionPool {
  private readonly idle: FunctionWorker[] = [];
  private readonly idleTimers = new Map<FunctionWorker, NodeJS.Timeout>();
  private readonly everyWorker = new Set<FunctionWorker>();
  private readonly waiting: Waiter[] = [];
  private running = 0;
  private retired = false;
  private stopped = false;

  constructor(private readonly options: PoolOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) {
      throw new RangeError(`Concurrency limit must be a positive integer, got ${options.limit}`);
    }
  }

  /** Runs `work` on a sandbox of its own; `cold` tells whether the sandbox is new. */
  async run<T>(work: (worker: FunctionWorker, cold: boolean) => Promise<T>): Promise<T> {
    if (this.stopped) throw new PoolStoppedError(this.options.functionName);
    await this.takeSlot();
    try {
      const warm = this.takeIdleWorker();
      const worker = warm ?? this.spawnWorker();
      try {
        return await work(worker, warm === undefined);
      } finally {
        this.giveBack(worker);
      }
    } finally {
      this.releaseSlot();
    }
  }

  /** Ends idle sandboxes now and busy ones when they finish; queued invocations still run. */
  async retire(): Promise<void> {
    this.retired = true;
    await Promise.all(this.idle.splice(0).map((worker) => this.endWorker(worker)));
  }

  /** Ends every sandbox, failing what is running and what waits. */
  async stop(): Promise<void> {
    this.retired = true;
    this.stopped = true;
    for (const waiter of this.waiting.splice(0)) waiter.reject(new PoolStoppedError(this.options.functionName));
    this.idle.length = 0;
    await Promise.all([...this.everyWorker].map((worker) => this.endWorker(worker)));
  }

  private takeSlot(): Promise<void> {
    if (this.running < this.options.limit) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private releaseSlot(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter, so arrival order is kept.
    if (next !== undefined) next.resolve();
    else this.running--;
  }

  private takeIdleWorker(): FunctionWorker | undefined {
    // Most recently used first, so surplus sandboxes age out.
    let worker = this.idle.pop();
    while (worker !== undefined && !worker.isAlive) worker = this.idle.pop();
    if (worker !== undefined) {
      clearTimeout(this.idleTimers.get(worker));
      this.idleTimers.delete(worker);
    }
    return worker;
  }

  private spawnWorker(): FunctionWorker {
    const worker = this.options.spawn();
    this.everyWorker.add(worker);
    worker.onGone(() => this.forget(worker));
    return worker;
  }

  private giveBack(worker: FunctionWorker): void {
    if (!worker.isAlive) return;
    if (this.retired) {
      void this.endWorker(worker);
      return;
    }
    this.idle.push(worker);
    const timer = setTimeout(() => void this.endWorker(worker), this.options.idleTimeoutMs);
    timer.unref();
    this.idleTimers.set(worker, timer);
  }

  private forget(worker: FunctionWorker): void {
    this.everyWorker.delete(worker);
    clearTimeout(this.idleTimers.get(worker));
    this.idleTimers.delete(worker);
    const index = this.idle.indexOf(worker);
    if (index >= 0) this.idle.splice(index, 1);
  }

  private async endWorker(worker: FunctionWorker): Promise<void> {
    this.forget(worker);
    await worker.terminate();
  }
}
