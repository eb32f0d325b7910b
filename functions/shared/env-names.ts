/**
 * Names of the environment variables the stack gives the functions. The stack
 * (lib/) and the handlers (functions/) both import these, so the two cannot drift.
 */
export const ENV = {
  USERS_TABLE: "USERS_TABLE",
  TRANSACTIONS_TABLE: "TRANSACTIONS_TABLE",
  QUOTES_TABLE: "QUOTES_TABLE",
  ORDERS_QUEUE_URL: "ORDERS_QUEUE_URL",
  CONSOLIDATE_FUNCTION_NAME: "CONSOLIDATE_FUNCTION_NAME",
  /** ARN of the OrderEvents SNS topic every change of an order's state is published to. */
  ORDER_EVENTS_TOPIC_ARN: "ORDER_EVENTS_TOPIC_ARN",
  /** The append-only audit table: one item per order event. */
  AUDIT_TABLE: "AUDIT_TABLE",
  /** The daily statements table: one line per filled order. */
  STATEMENTS_TABLE: "STATEMENTS_TABLE",
  /** "simulated" or "yahoo". */
  PRICE_SOURCE: "PRICE_SOURCE",
  /** Seed of the simulated market (same seed, same prices). */
  SIMULATED_MARKET_SEED: "SIMULATED_MARKET_SEED",
  /** Share of simulated-market calls that fail, 0..1, for chaos tests. */
  SIMULATED_MARKET_FAILURE_RATE: "SIMULATED_MARKET_FAILURE_RATE",
  /** How old a cached quote may be and still be used as a fallback. */
  QUOTE_MAX_AGE_SECONDS: "QUOTE_MAX_AGE_SECONDS",
  /** Timeout of one call to the external price source. */
  PRICE_TIMEOUT_MS: "PRICE_TIMEOUT_MS",
  /** How old an unsettled order must be before the reconciler steps in. */
  RECONCILE_GRACE_SECONDS: "RECONCILE_GRACE_SECONDS",
  /** ARN of the Secrets Manager secret whose value signs and checks access tokens. */
  SIGNING_SECRET_ARN: "SIGNING_SECRET_ARN",
  /** ARN of the customer-managed KMS key that encrypts personal data. */
  PERSONAL_DATA_KEY_ARN: "PERSONAL_DATA_KEY_ARN",
  /** Name of the EventBridge bus large-order alerts are raised on. */
  COMPLIANCE_BUS_NAME: "COMPLIANCE_BUS_NAME",
  /** Notional above which a BRL order raises an alert, a decimal ("100000.00"). */
  COMPLIANCE_THRESHOLD_BRL: "COMPLIANCE_THRESHOLD_BRL",
  /** Notional above which a USD order raises an alert, a decimal ("20000.00"). */
  COMPLIANCE_THRESHOLD_USD: "COMPLIANCE_THRESHOLD_USD",
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];
