/** Key layouts of the three tables; see docs/data-model.md. */
export const userKey = (userId: string) => ({ pk: `USER#${userId}` });
export const profileKey = (userId: string) => ({ pk: `USER#${userId}`, sk: "PROFILE" });
export const positionKey = (userId: string, ticker: string) => ({ pk: `USER#${userId}`, sk: `POSITION#${ticker}` });

export const orderKey = (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: "ORDER" });
/** Events sort by sequence: 1 = ACCEPTED, 2 = the final status (at most one, guarded by the order's status). */
export const orderEventKey = (orderId: string, sequence: number) => ({ pk: `ORDER#${orderId}`, sk: `EVENT#${String(sequence).padStart(3, "0")}` });
export const tradeKey = (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: "TRADE" });
export const idempotencyKey = (key: string) => ({ pk: `IDEMPOTENCY#${key}`, sk: "IDEMPOTENCY" });
export const userOrdersIndexKey = (userId: string, createdAt: string, orderId: string) => ({
  gsi1pk: `USER#${userId}`,
  gsi1sk: `${createdAt}#${orderId}`,
});

/** The sparse "needs attention" index: an order is listed from acceptance until its notifications are queued. */
export const attentionIndexKey = (createdAt: string, orderId: string) => ({ gsi2pk: OPEN_ORDERS, gsi2sk: `${createdAt}#${orderId}` });

export const latestQuoteKey = (ticker: string) => ({ pk: `QUOTE#${ticker}`, sk: "LATEST" });
export const quoteHistoryKey = (ticker: string, asOf: string) => ({ pk: `QUOTE#${ticker}`, sk: `HISTORY#${asOf}` });

export const USER_ORDERS_INDEX = "gsi1";
export const ATTENTION_INDEX = "gsi2";
/** gsi2pk of orders the reconciler watches. */
export const OPEN_ORDERS = "OPEN";
/** gsi2pk of orders the reconciler gave up re-queueing; an operator looks at them (and the orders DLQ). */
export const STUCK_ORDERS = "STUCK";

/** A user's password hash, beside the profile and deleted with it. */
export const credentialsKey = (userId: string) => ({ pk: `USER#${userId}`, sk: "CREDENTIALS" });
/** Failed sign-ins for a user id (existing or not); expires through the users table's TTL. */
export const loginAttemptsKey = (userId: string) => ({ pk: `LOGIN#${userId}`, sk: "ATTEMPTS" });
/** The users table's TTL attribute (epoch seconds). */
export const EXPIRES_AT = "expiresAt";

/** Audit table: an order's events, one item per event id; the rank keeps `accepted` before the final state. */
export const auditEventKey = (orderId: string, type: string) => ({ pk: `ORDER#${orderId}`, sk: `EVENT#${type === "accepted" ? 1 : 2}#${type}` });
export const auditOrderPartition = (orderId: string) => `ORDER#${orderId}`;
/** Statements table: one line per filled order, in the partition of its user and UTC day. */
export const statementLineKey = (userId: string, day: string, orderId: string) => ({ pk: statementPartition(userId, day), sk: `ORDER#${orderId}` });
export const statementPartition = (userId: string, day: string) => `STATEMENT#${userId}#${day}`;
