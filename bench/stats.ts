/** Latency summaries. Nearest-rank percentiles: the reported value is one that was really observed. */

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** The p-th percentile (0 < p ≤ 100) of values already sorted ascending; NaN when empty. */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export function summarize(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const total = sorted.reduce((sum, v) => sum + v, 0);
  return {
    count: sorted.length,
    p50: percentileOfSorted(sorted, 50),
    p95: percentileOfSorted(sorted, 95),
    p99: percentileOfSorted(sorted, 99),
    max: sorted.length ? (sorted[sorted.length - 1] ?? Number.NaN) : Number.NaN,
    mean: sorted.length ? total / sorted.length : Number.NaN,
  };
}

/** Counts per whole second since `origin` (ms); values before the origin go to second 0. */
export function perSecond(timesMs: readonly number[], originMs: number, seconds: number): number[] {
  const buckets = new Array<number>(Math.max(0, seconds)).fill(0);
  for (const t of timesMs) {
    const index = Math.max(0, Math.floor((t - originMs) / 1000));
    if (index < buckets.length) buckets[index] = (buckets[index] ?? 0) + 1;
  }
  return buckets;
}

/** p99 of the values that fall in each whole second, keyed by their own time; NaN for empty seconds. */
export function p99PerSecond(samples: readonly { atMs: number; value: number }[], originMs: number, seconds: number): number[] {
  const groups: number[][] = Array.from({ length: Math.max(0, seconds) }, () => []);
  for (const s of samples) {
    const index = Math.max(0, Math.floor((s.atMs - originMs) / 1000));
    groups[index]?.push(s.value);
  }
  return groups.map((g) => percentileOfSorted(g.sort((a, b) => a - b), 99));
}
