import { outcomeOf } from "../../domain/notification.ts";
import type { Order } from "../../domain/order.ts";
import { attentionCutoff, reconciliationActionFor, type ReconciliationAction, type ReconciliationPolicy } from "../../domain/reconciliation.ts";
import type { AttentionList, ConsolidationTrigger, OrderQueue } from "../../adapters/ports.ts";
import { logForOrder, logger } from "../shared/logger.ts";

export interface OrderReconcilerPorts {
  readonly attention: AttentionList;
  readonly queue: OrderQueue;
  readonly consolidation: ConsolidationTrigger;
  readonly policy: ReconciliationPolicy;
  /** Most orders looked at per run; the rest wait for the next run. */
  readonly batchLimit: number;
  readonly clock?: () => Date;
}

export type ReconciliationSummary = Readonly<Record<ReconciliationAction | "FAILED", number>>;

/**
 * Finds orders a crash left behind and pushes each one step further. Every step
 * is safe to repeat: the orders queue de-duplicates by order id and process-order
 * never fills twice; consolidation skips an order already notified.
 */
export class OrderReconciler {
  private readonly clock: () => Date;

  constructor(private readonly ports: OrderReconcilerPorts) {
    this.clock = ports.clock ?? (() => new Date());
  }

  async run(): Promise<ReconciliationSummary> {
    const now = this.clock();
    const orders = await this.ports.attention.needingAttention(attentionCutoff(now, this.ports.policy.graceMs), this.ports.batchLimit);
    const summary = { REQUEUE: 0, RENOTIFY: 0, GIVE_UP: 0, WAIT: 0, FAILED: 0 };
    for (const order of orders) {
      logForOrder({ orderId: order.orderId, correlationId: order.correlationId, userId: order.userId });
      const action = reconciliationActionFor(order, now, this.ports.policy);
      try {
        await this.apply(action, order, now);
        summary[action]++;
      } catch (error) {
        // One order's failure must not stop the others; the next run tries it again.
        logger.error("reconciliation step failed", error instanceof Error ? error : String(error));
        summary.FAILED++;
      }
    }
    logForOrder({});
    return summary;
  }

  private async apply(action: ReconciliationAction, order: Order, now: Date): Promise<void> {
    const { attention, queue, consolidation } = this.ports;
    if (action === "REQUEUE") {
      if (!(await attention.markRequeued(order.orderId, now.toISOString()))) return;
      await queue.enqueue({ orderId: order.orderId, userId: order.userId, correlationId: order.correlationId });
      logger.warn("order re-queued", { createdAt: order.createdAt, requeues: (order.requeueCount ?? 0) + 1 });
    } else if (action === "GIVE_UP") {
      if (await attention.markStuck(order.orderId)) {
        logger.error("order still not processed after its re-queues; left to the orders DLQ and an operator", { requeues: order.requeueCount });
      }
    } else if (action === "RENOTIFY") {
      await consolidation.trigger([outcomeOf(order)]);
      logger.warn("consolidation started again for an order never notified", { status: order.status, updatedAt: order.updatedAt });
    }
  }
}
