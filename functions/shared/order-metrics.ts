import type { Metrics } from "@aws-lambda-powertools/metrics";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Order, RejectionReason } from "../../domain/order.ts";
import { DIMENSION, METRIC } from "./metric-names.ts";

/**
 * What the order flow counts, as facts about orders. The flow records them through this
 * port, so it stays testable without CloudWatch; `metricsOf` publishes them.
 */
export interface OrderMetrics {
  accepted(order: Order): void;
  /** `order` carries its fill; its createdAt is when it was accepted. */
  filled(order: Order & { fill: NonNullable<Order["fill"]> }): void;
  rejected(order: Order, reason: RejectionReason): void;
}

/** Records nothing: for code that runs outside a function (scripts, tests that do not look). */
export const NO_ORDER_METRICS: OrderMetrics = { accepted() {}, filled() {}, rejected() {} };

/** Milliseconds from acceptance to fill; 0 when the clocks disagree (never negative). */
export function acceptanceToFillMs(order: Order & { fill: NonNullable<Order["fill"]> }): number {
  const ms = Date.parse(order.fill.executedAt) - Date.parse(order.createdAt);
  return Number.isFinite(ms) ? Math.max(0, ms) : 0;
}

/**
 * The port on Powertools Metrics. Counts and the latency go into the invocation's EMF blob;
 * a metric with its own dimensions (reason, ticker and currency) goes out as a single metric,
 * because one EMF blob has one set of dimensions.
 */
export function metricsOf(metrics: Metrics): OrderMetrics {
  return {
    accepted() {
      metrics.addMetric(METRIC.ORDERS_ACCEPTED, MetricUnit.Count, 1);
    },
    filled(order) {
      metrics.addMetric(METRIC.ORDERS_FILLED, MetricUnit.Count, 1);
      metrics.addMetric(METRIC.ACCEPTANCE_TO_FILL, MetricUnit.Milliseconds, acceptanceToFillMs(order));
      const notional = metrics.singleMetric();
      notional.addDimensions({ [DIMENSION.TICKER]: order.ticker, [DIMENSION.CURRENCY]: order.fill.currency });
      // For graphs only: money itself stays in integer cents everywhere else.
      notional.addMetric(METRIC.FILLED_NOTIONAL, MetricUnit.NoUnit, order.fill.amount / 100);
    },
    rejected(_order, reason) {
      const rejected = metrics.singleMetric();
      rejected.addDimension(DIMENSION.REASON, reason);
      rejected.addMetric(METRIC.ORDERS_REJECTED, MetricUnit.Count, 1);
    },
  };
}
