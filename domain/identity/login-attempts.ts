/**
 * The brute-force guard's policy: after 5 failed sign-ins for a user id within a
 * 15-minute window, further attempts are refused until the window ends. Counted
 * per user id whether or not the user exists, so the guard reveals nothing.
 */
export const LOGIN_GUARD = { maxFailures: 5, windowSeconds: 15 * 60 } as const;

/** Failed attempts in the window that started at `windowStart` (epoch seconds). */
export interface FailedAttempts {
  readonly failures: number;
  readonly windowStart: number;
}

/** Seconds until the caller may try again, or 0 when an attempt is allowed now. */
export function lockedForSeconds(attempts: FailedAttempts | undefined, nowSeconds: number, policy = LOGIN_GUARD): number {
  if (!attempts) return 0;
  const windowEnd = attempts.windowStart + policy.windowSeconds;
  if (nowSeconds >= windowEnd || attempts.failures < policy.maxFailures) return 0;
  return Math.max(1, Math.ceil(windowEnd - nowSeconds));
}
