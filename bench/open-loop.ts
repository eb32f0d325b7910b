/**
 * Open-loop load: request i is due at start + i / rate, whatever happened to the
 * requests before it. Nothing here awaits an answer before sending the next one,
 * so a slow system shows up as latency (measured from the due time) instead of
 * as a quietly lower request rate.
 */

export interface Clock {
  now(): number;
  /** Resolves at (or soon after) the given time in ms on this clock. */
  sleepUntil(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleepUntil: (ms) => new Promise((done) => setTimeout(done, Math.max(0, ms - performance.now()))),
};

export interface OpenLoopOptions {
  /** Requests per second. */
  readonly rate: number;
  readonly durationSeconds: number;
  /** Most requests in flight; a request due while this many are open is dropped, not delayed. */
  readonly concurrencyCap: number;
  readonly clock?: Clock;
}

export interface Attempt<T> {
  readonly index: number;
  readonly scheduledMs: number;
  /** When send() was actually called (lags scheduledMs when the client's event loop is busy). */
  sentMs?: number;
  doneMs?: number;
  result?: T;
  dropped: boolean;
}

export interface OpenLoopRun<T> {
  readonly startMs: number;
  readonly attempts: Attempt<T>[];
  /** Resolves when every request that was sent has answered (send must bound its own time). */
  readonly settled: Promise<void>;
}

export function plannedCount(rate: number, durationSeconds: number): number {
  return Math.max(0, Math.floor(rate * durationSeconds));
}

/** Sends `plannedCount` requests at the fixed rate; returns once the last one is sent. */
export async function runOpenLoop<T>(options: OpenLoopOptions, send: (index: number) => Promise<T>): Promise<OpenLoopRun<T>> {
  if (!(options.rate > 0)) throw new RangeError("rate must be > 0");
  const clock = options.clock ?? realClock;
  const total = plannedCount(options.rate, options.durationSeconds);
  const intervalMs = 1000 / options.rate;
  const startMs = clock.now();
  const attempts: Attempt<T>[] = [];
  const pending: Promise<void>[] = [];
  let inFlight = 0;

  const fire = (index: number): void => {
    const attempt: Attempt<T> = { index, scheduledMs: startMs + index * intervalMs, dropped: false };
    attempts.push(attempt);
    if (inFlight >= options.concurrencyCap) {
      attempt.dropped = true;
      return;
    }
    inFlight++;
    attempt.sentMs = clock.now();
    pending.push(
      send(index).then(
        (result) => {
          attempt.result = result;
        },
        () => {},
      ).finally(() => {
        attempt.doneMs = clock.now();
        inFlight--;
      }),
    );
  };

  let next = 0;
  while (next < total) {
    const due = startMs + next * intervalMs;
    if (clock.now() < due) await clock.sleepUntil(due);
    // Catch up on everything due by now in one go: a late timer must not lower the rate.
    const now = clock.now();
    while (next < total && startMs + next * intervalMs <= now) fire(next++);
  }
  return { startMs, attempts, settled: Promise.all(pending).then(() => undefined) };
}
