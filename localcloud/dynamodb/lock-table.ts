/**
 * Named locks for the DynamoDB emulation, so requests that touch different items run
 * at the same time and only conflicting ones wait.
 *
 * Each lock is held in a mode. Holders of the same mode share a lock, except in
 * "exclusive" mode, which shares with nobody:
 *
 * - "shared" / "exclusive": readers and writers of one item (or of the whole service);
 * - "read" / "write": a table seen as a whole. Queries and scans take it in "read" mode,
 *   write transactions in "write" mode. Readers share with readers and transactions with
 *   transactions (their items are locked one by one), but a query never runs while a
 *   transaction is writing to its table, so it cannot see one half-applied.
 *
 * A request names every lock it needs up front and gets all of them before it runs
 * (and keeps them until it is done). Locks are taken one at a time in one global order,
 * sorted by name, so two requests can never each hold a lock the other waits for: no
 * deadlock. Each lock grants in arrival order: a waiter that conflicts with the holders
 * also holds back compatible requests that came after it, so a stream of reads cannot
 * starve a writer, nor writers a reader.
 */
export type LockMode = "shared" | "exclusive" | "read" | "write";

export interface LockRequest {
  /** Any string; locks are taken in the order of these names. */
  readonly name: string;
  readonly mode: LockMode;
}

export type Release = () => void;

interface Waiter {
  readonly mode: LockMode;
  readonly grant: () => void;
}

/** The holders and the queue of one named lock. */
interface LockState {
  mode: LockMode | undefined;
  holders: number;
  readonly queue: Waiter[];
}

const compatible = (held: LockMode, wanted: LockMode): boolean => held === wanted && held !== "exclusive";

/** When one request names a lock twice, it takes it once, in the stronger mode. */
function strongest(a: LockMode, b: LockMode): LockMode {
  if (a === b) return a;
  // Two different modes of one lock cannot be held together by anyone else either.
  return "exclusive";
}

export class LockTable {
  private readonly locks = new Map<string, LockState>();

  /** Takes every lock in `requests` (sorted by name), then resolves to their joint release. */
  async acquire(requests: readonly LockRequest[]): Promise<Release> {
    const wanted = new Map<string, LockMode>();
    for (const { name, mode } of requests) {
      const already = wanted.get(name);
      wanted.set(name, already === undefined ? mode : strongest(already, mode));
    }
    const names = [...wanted.keys()].sort();
    const releases: Release[] = [];
    for (const name of names) releases.push(await this.acquireOne(name, wanted.get(name) ?? "exclusive"));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const release of releases.reverse()) release();
    };
  }

  /** Runs `work` holding every lock in `requests`; they are released however it ends. */
  async withLocks<T>(requests: readonly LockRequest[], work: () => Promise<T>): Promise<T> {
    const release = await this.acquire(requests);
    try {
      return await work();
    } finally {
      release();
    }
  }

  /** How many named locks are held or waited for; zero once everything is released. */
  get size(): number {
    return this.locks.size;
  }

  private acquireOne(name: string, mode: LockMode): Promise<Release> {
    let state = this.locks.get(name);
    if (state === undefined) {
      state = { mode: undefined, holders: 0, queue: [] };
      this.locks.set(name, state);
    }
    const lock = state;
    // Granted at once only when nobody is queued ahead, so arrival order is kept.
    if (lock.queue.length === 0 && (lock.holders === 0 || (lock.mode !== undefined && compatible(lock.mode, mode)))) {
      lock.mode = mode;
      lock.holders += 1;
      return Promise.resolve(this.releaser(name, lock));
    }
    return new Promise<Release>((resolve) => {
      lock.queue.push({ mode, grant: () => resolve(this.releaser(name, lock)) });
    });
  }

  private releaser(name: string, lock: LockState): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      lock.holders -= 1;
      if (lock.holders === 0) lock.mode = undefined;
      this.grantWaiting(lock);
      if (lock.holders === 0 && lock.queue.length === 0) this.locks.delete(name);
    };
  }

  private grantWaiting(lock: LockState): void {
    for (let next = lock.queue[0]; next !== undefined; next = lock.queue[0]) {
      if (lock.holders > 0 && !(lock.mode !== undefined && compatible(lock.mode, next.mode))) return;
      lock.queue.shift();
      lock.mode = next.mode;
      lock.holders += 1;
      next.grant();
    }
  }
}
