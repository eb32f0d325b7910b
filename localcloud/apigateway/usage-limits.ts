import type { UsagePlanDefinition } from "../types.ts";

/** Why a request over a usage plan's limits was refused. */
export type LimitOutcome = "ok" | "throttled" | "quota-exceeded";

interface Bucket {
  tokens: number;
  refilledAt: number;
}

const DAY_MS = 86_400_000;

/** Start of the quota period holding `now`, in UTC (weeks start on Monday). */
export function periodStart(period: "DAY" | "WEEK" | "MONTH", now: Date): number {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (period === "DAY") return day;
  if (period === "WEEK") return day - ((now.getUTCDay() + 6) % 7) * DAY_MS;
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
}

/**
 * A usage plan's limits per API key: a token bucket per key and stage (capacity
 * burstLimit, refilled at rateLimit per second) and a request count per key and
 * quota period. Counters live in memory; a restart starts them afresh.
 */
export class UsageLimits {
  private readonly buckets = new Map<string, Bucket>();
  private readonly quotas = new Map<string, { periodStart: number; used: number }>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** Takes one request from the key's allowance, or says which limit refuses it (and takes nothing). */
  take(plan: UsagePlanDefinition, keyId: string, apiId: string, stage: string): LimitOutcome {
    const now = this.clock();
    const bucketKey = `${plan.id}/${keyId}/${apiId}/${stage}`;
    let bucket: Bucket | undefined;
    if (plan.throttle) {
      const { rateLimit, burstLimit } = plan.throttle;
      bucket = this.buckets.get(bucketKey) ?? { tokens: burstLimit, refilledAt: now };
      bucket.tokens = Math.min(burstLimit, bucket.tokens + ((now - bucket.refilledAt) / 1000) * rateLimit);
      bucket.refilledAt = now;
      this.buckets.set(bucketKey, bucket);
      if (bucket.tokens < 1) return "throttled";
    }
    if (plan.quota) {
      const start = periodStart(plan.quota.period, new Date(now));
      const quotaKey = `${plan.id}/${keyId}`;
      const counter = this.quotas.get(quotaKey);
      const current = counter && counter.periodStart === start ? counter : { periodStart: start, used: 0 };
      // The offset is taken off the limit in the period the plan was created in only.
      const firstPeriod = start === periodStart(plan.quota.period, plan.createdDate);
      const limit = plan.quota.limit - (firstPeriod ? plan.quota.offset : 0);
      if (current.used >= limit) return "quota-exceeded";
      current.used += 1;
      this.quotas.set(quotaKey, current);
    }
    if (bucket) bucket.tokens -= 1;
    return "ok";
  }
}
