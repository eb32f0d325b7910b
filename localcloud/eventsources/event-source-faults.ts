/** Chaos runs: deliver some batches twice, as SQS's at-least-once delivery may. */

export interface EventSourceFaultOptions {
  /** Chance (0–1) that a received batch is handed to the function twice. */
  readonly duplicateRate: number;
  /** Source of numbers in [0, 1); a seeded one makes a chaos run repeatable. @default Math.random */
  readonly random?: () => number;
}

export class DuplicateDeliveries {
  private readonly random: () => number;

  constructor(private readonly options: EventSourceFaultOptions) {
    const rate = options.duplicateRate;
    if (!Number.isFinite(rate) || rate < 0 || rate > 1) throw new RangeError(`duplicateRate must be between 0 and 1, got ${rate}`);
    this.random = options.random ?? Math.random;
  }

  /** Whether the next batch is to be delivered twice. */
  next(): boolean {
    return this.random() < this.options.duplicateRate;
  }
}
