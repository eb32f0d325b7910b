import type { Order } from "./order.ts";

/**
 * What the reconciler does with an order that still needs attention:
 * - REQUEUE: accepted long ago and never finished; the queue message may be lost.
 * - RENOTIFY: final, but its notifications were never confirmed as queued.
 * - GIVE_UP: re-queued too often without result (its messages go to the DLQ); stop re-queueing.
 * - WAIT: too recent to tell a lost order from a busy pipeline.
 */
export type ReconciliationAction = "REQUEUE" | "RENOTIFY" | "GIVE_UP" | "WAIT";

export interface ReconciliationPolicy {
  /** How long an order may take before the reconciler steps in. */
  readonly graceMs: number;
  /** Re-queues of one order before the reconciler leaves it to the DLQ and the operator. */
  readonly maxRequeues: number;
}

export const DEFAULT_MAX_REQUEUES = 3;

/** Orders created before this instant may need attention; later ones are still in flight. */
export function attentionCutoff(now: Date, graceMs: number): string {
  return new Date(now.getTime() - graceMs).toISOString();
}

export function reconciliationActionFor(order: Order, now: Date, policy: ReconciliationPolicy): ReconciliationAction {
  const cutoff = attentionCutoff(now, policy.graceMs);
  if (order.status === "ACCEPTED") {
    // Measured from the last re-queue too, so one slow run is not re-queued every minute.
    const lastTouched = order.requeuedAt && order.requeuedAt > order.createdAt ? order.requeuedAt : order.createdAt;
    if (lastTouched >= cutoff) return "WAIT";
    return (order.requeueCount ?? 0) >= policy.maxRequeues ? "GIVE_UP" : "REQUEUE";
  }
  if (order.notifiedAt) return "WAIT";
  // Measured from the final step: consolidation was started then and may still be running.
  return order.updatedAt < cutoff ? "RENOTIFY" : "WAIT";
}
