/**
 * The business metrics the functions publish (CloudWatch embedded metric format) and their
 * dimensions. The stack's dashboard (lib/) and the functions both import these, so a graph
 * cannot name a metric nobody publishes. Powertools adds the `service` dimension itself:
 * the function's POWERTOOLS_SERVICE_NAME (its entry name, e.g. "process-order").
 */
export const METRICS_NAMESPACE = "Brokerage";

export const METRIC = {
  /** validate-order: an order recorded ACCEPTED and queued. */
  ORDERS_ACCEPTED: "OrdersAccepted",
  /** process-order: an order filled. */
  ORDERS_FILLED: "OrdersFilled",
  /** An order rejected, with the `reason` dimension (INSUFFICIENT_FUNDS, UNKNOWN_TICKER, …). */
  ORDERS_REJECTED: "OrdersRejected",
  /** The filled amount in currency units (not cents), with the `ticker` and `currency` dimensions. */
  FILLED_NOTIONAL: "FilledNotional",
  /** Milliseconds from the order's acceptance to its fill. */
  ACCEPTANCE_TO_FILL: "AcceptanceToFillLatency",
} as const;

export const DIMENSION = {
  SERVICE: "service",
  REASON: "reason",
  TICKER: "ticker",
  CURRENCY: "currency",
} as const;
