/**
 * Which requests get a trace. AWS samples with X-Ray's default rule unless an account sets
 * its own: the first request of each second (the reservoir), then 5 % of the rest (the
 * fixed rate). The local cloud applies the rule per traced entry point (an API stage, an
 * Active function called without a caller's decision), as one host of a fleet would.
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-console-sampling.html
 */
export interface SamplingRule {
  /** Requests traced in each second before the fixed rate applies. */
  readonly reservoirPerSecond: number;
  /** The share (0–1) of the requests past the reservoir that are traced. */
  readonly fixedRate: number;
}

export const DEFAULT_SAMPLING_RULE: SamplingRule = { reservoirPerSecond: 1, fixedRate: 0.05 };

/** Every request traced: for a close look at one flow, and for tests that follow a trace. */
export const TRACE_EVERY_REQUEST: SamplingRule = { reservoirPerSecond: 0, fixedRate: 1 };

export class InvalidSamplingRuleError extends Error {
  override readonly name = "InvalidSamplingRuleError";
}

export class TraceSampler {
  /** Per entry point: the second its reservoir counts for, and how much of it is used. */
  private readonly reservoirs = new Map<string, { second: number; used: number }>();

  constructor(
    readonly rule: SamplingRule = DEFAULT_SAMPLING_RULE,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {
    const { reservoirPerSecond, fixedRate } = rule;
    if (!Number.isInteger(reservoirPerSecond) || reservoirPerSecond < 0) throw new InvalidSamplingRuleError(`reservoirPerSecond must be a whole number ≥ 0, got ${reservoirPerSecond}`);
    if (!(fixedRate >= 0 && fixedRate <= 1)) throw new InvalidSamplingRuleError(`fixedRate must be from 0 to 1, got ${fixedRate}`);
  }

  /** Whether this request of the entry point is traced. */
  sample(entryPoint: string): boolean {
    const second = Math.floor(this.now() / 1000);
    let reservoir = this.reservoirs.get(entryPoint);
    if (reservoir === undefined || reservoir.second !== second) {
      reservoir = { second, used: 0 };
      this.reservoirs.set(entryPoint, reservoir);
    }
    if (reservoir.used < this.rule.reservoirPerSecond) {
      reservoir.used += 1;
      return true;
    }
    return this.random() < this.rule.fixedRate;
  }
}
