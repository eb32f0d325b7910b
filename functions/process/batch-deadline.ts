/**
 * Time kept back after the last price call of a batch: the order's fill (one
 * transaction), the quote-history write and the consolidation invoke, each a
 * request or two to services that answer in milliseconds, with room for the
 * SDK's own retry of one of them.
 */
export const FINISH_RESERVE_MS = 1_500;

/**
 * How much of the invocation's time a batch of orders may still use. A record is
 * taken only while one more price call at its full cap, and the work after it,
 * fit before the function's timeout: a batch that overruns loses every record's
 * outcome and its breaker's state, and each of its messages is counted as received.
 */
export interface BatchDeadline {
  /** Whether one more order fits: a price call at its cap, its fill and the batch's finish. */
  allowsAnotherOrder(): boolean;
  /** How long the next price call may take; zero or less when there is no time for one. */
  priceBudgetMs(): number;
}

/** No deadline: every order is taken and each price call has its own cap only. */
export const NO_DEADLINE: BatchDeadline = {
  allowsAnotherOrder: () => true,
  priceBudgetMs: () => Number.POSITIVE_INFINITY,
};

/**
 * The deadline of one invocation, from Lambda's `context.getRemainingTimeInMillis`
 * and the cap of one price call.
 */
export function batchDeadline(remainingMs: () => number, priceCapMs: number, finishReserveMs = FINISH_RESERVE_MS): BatchDeadline {
  return {
    allowsAnotherOrder: () => remainingMs() >= priceCapMs + finishReserveMs,
    priceBudgetMs: () => Math.min(priceCapMs, remainingMs() - finishReserveMs),
  };
}

/** The invocation has no time left for this order; it goes back to the queue untouched. */
export class OutOfTimeError extends Error {
  override readonly name = "OutOfTimeError";
}
