/** CloudWatch's statistics over the samples of one period. */

/** What one PutMetricData entry or EMF value adds: raw values, or a statistic set (no percentiles then). */
export interface Sample {
  /** Epoch milliseconds. */
  readonly timestamp: number;
  readonly sum: number;
  readonly count: number;
  readonly min: number;
  readonly max: number;
  /** The raw values, for percentiles; empty for a statistic set. */
  readonly values: readonly number[];
}

export function sampleOf(timestamp: number, value: number): Sample {
  return { timestamp, sum: value, count: 1, min: value, max: value, values: [value] };
}

export const BASIC_STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"] as const;

/** `p99`, `p99.9`: the percentile statistics CloudWatch names this way. */
const PERCENTILE = /^p(\d{1,2}(?:\.\d+)?|100)$/;

export function isStatistic(stat: string): boolean {
  return (BASIC_STATISTICS as readonly string[]).includes(stat) || PERCENTILE.test(stat);
}

/** The statistic over the samples, or undefined when there is none (or no raw values for a percentile). */
export function statisticOf(stat: string, samples: readonly Sample[]): number | undefined {
  if (samples.length === 0) return undefined;
  const count = samples.reduce((total, sample) => total + sample.count, 0);
  const sum = samples.reduce((total, sample) => total + sample.sum, 0);
  switch (stat) {
    case "SampleCount": return count;
    case "Sum": return sum;
    case "Average": return count === 0 ? undefined : sum / count;
    case "Minimum": return Math.min(...samples.map((sample) => sample.min));
    case "Maximum": return Math.max(...samples.map((sample) => sample.max));
  }
  const percentile = PERCENTILE.exec(stat);
  if (!percentile) return undefined;
  return percentileOf(samples.flatMap((sample) => sample.values), Number(percentile[1]));
}

/** Nearest rank, as CloudWatch reports a percentile of few values. */
export function percentileOf(values: readonly number[], percent: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}
