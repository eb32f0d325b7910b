/**
 * A circuit breaker as a pure state machine: every transition takes `now` (ms)
 * and returns the next state, so it is tested without clocks or timers.
 *   CLOSED --(failureThreshold consecutive failures)--> OPEN
 *   OPEN --(openMs elapsed, next request)--> HALF_OPEN (one trial call)
 *   HALF_OPEN --success--> CLOSED, --failure--> OPEN again
 */
export type BreakerState =
  | { readonly status: "CLOSED"; readonly failures: number }
  | { readonly status: "OPEN"; readonly openedAt: number }
  | { readonly status: "HALF_OPEN"; readonly trialStartedAt: number };

export interface BreakerConfig {
  readonly failureThreshold: number;
  readonly openMs: number;
}

export const INITIAL_BREAKER: BreakerState = { status: "CLOSED", failures: 0 };

/** Asks to make a call. When not allowed, the caller uses its fallback. */
export function requestPermission(
  state: BreakerState,
  now: number,
  config: BreakerConfig,
): { allowed: boolean; state: BreakerState } {
  switch (state.status) {
    case "CLOSED":
      return { allowed: true, state };
    case "OPEN":
      if (now - state.openedAt >= config.openMs) return { allowed: true, state: { status: "HALF_OPEN", trialStartedAt: now } };
      return { allowed: false, state };
    case "HALF_OPEN":
      // One trial at a time; a trial that never reported back is given up after openMs.
      if (now - state.trialStartedAt >= config.openMs) return { allowed: true, state: { status: "HALF_OPEN", trialStartedAt: now } };
      return { allowed: false, state };
  }
}

export function recordSuccess(_state: BreakerState): BreakerState {
  return INITIAL_BREAKER;
}

export function recordFailure(state: BreakerState, now: number, config: BreakerConfig): BreakerState {
  if (state.status === "CLOSED") {
    const failures = state.failures + 1;
    return failures >= config.failureThreshold ? { status: "OPEN", openedAt: now } : { status: "CLOSED", failures };
  }
  return { status: "OPEN", openedAt: now };
}
