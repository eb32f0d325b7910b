/**
 * How long a message that failed for a transient reason (the price source down with
 * no usable cached quote) stays hidden before its next delivery: doubling from the
 * base with each receive, up to the cap. SQS itself would retry at the queue's fixed
 * visibility timeout; a growing delay gives an outage time to pass before the
 * message's last receive sends it to the DLQ.
 */
export interface RetryBackoffPolicy {
  readonly baseSeconds: number;
  readonly maxSeconds: number;
}

export const ORDER_RETRY_BACKOFF: RetryBackoffPolicy = { baseSeconds: 30, maxSeconds: 300 };

/** SQS's own limit on a visibility timeout: 12 hours. */
const SQS_MAX_VISIBILITY_SECONDS = 43_200;

/** The delay after the receive numbered `receiveCount` (1 for the first delivery) failed. */
export function retryDelaySeconds(receiveCount: number, policy: RetryBackoffPolicy = ORDER_RETRY_BACKOFF): number {
  const attempt = Number.isInteger(receiveCount) && receiveCount >= 1 ? receiveCount : 1;
  const delay = policy.baseSeconds * 2 ** Math.min(attempt - 1, 30);
  return Math.min(delay, policy.maxSeconds, SQS_MAX_VISIBILITY_SECONDS);
}
