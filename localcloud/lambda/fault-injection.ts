/**
 * Chaos runs: decide, per invocation, whether its sandbox is to crash or time out
 * part-way through. Nothing is injected unless a rate above zero is given.
 */

export interface LambdaFaultOptions {
  /** Chance (0–1) that an invocation's sandbox is killed mid-invocation. */
  readonly crashRate: number;
  /** Chance (0–1) that an invocation is ended as timed out mid-invocation. @default 0 */
  readonly timeoutRate?: number;
  /** Source of numbers in [0, 1); a seeded one makes a chaos run repeatable. @default Math.random */
  readonly random?: () => number;
}

/** A fault chosen for one invocation: what happens, and how long after the handler started. */
export interface PlannedFault {
  readonly kind: "crash" | "timeout";
  readonly afterMs: number;
}

/** Faults strike within this long after the handler starts (or when it finishes, if sooner). */
const FAULT_WINDOW_MS = 50;

export function assertRate(name: string, rate: number): void {
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) throw new RangeError(`${name} must be between 0 and 1, got ${rate}`);
}

export class FaultPlanner {
  private readonly random: () => number;

  constructor(private readonly options: LambdaFaultOptions) {
    assertRate("crashRate", options.crashRate);
    assertRate("timeoutRate", options.timeoutRate ?? 0);
    this.random = options.random ?? Math.random;
  }

  /** The fault for the next invocation, if it gets one. */
  next(): PlannedFault | undefined {
    if (this.random() < this.options.crashRate) return { kind: "crash", afterMs: this.delay() };
    if (this.random() < (this.options.timeoutRate ?? 0)) return { kind: "timeout", afterMs: this.delay() };
    return undefined;
  }

  private delay(): number {
    return Math.floor(this.random() * FAULT_WINDOW_MS);
  }
}

/** A small deterministic generator of numbers in [0, 1) (xorshift32 over a mixed seed). */
export function seededRandom(seed: number): () => number {
  let state = Math.trunc(seed) >>> 0;
  // Spread nearby seeds apart before the first draw.
  state = Math.imul(state ^ (state >>> 16), 0x7feb352d) >>> 0;
  state = Math.imul(state ^ (state >>> 15), 0x846ca68b) >>> 0;
  state = (state ^ (state >>> 16)) >>> 0 || 0x6d2b79f5;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}
