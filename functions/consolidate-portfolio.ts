import middy from "@middy/core";
import { formatCents } from "../domain/money.ts";
import type { Notification, OrderOutcome } from "../domain/notification.ts";
import { valuePortfolio } from "../domain/valuation.ts";
import { DynamoAttentionList } from "../adapters/dynamo-attention-list.ts";
import { DynamoOrderStore } from "../adapters/dynamo-order-store.ts";
import { DynamoQuoteStore } from "../adapters/dynamo-quote-store.ts";
import { DynamoUserStore } from "../adapters/dynamo-user-store.ts";
import type { StoredValuation } from "../adapters/ports.ts";
import { SqsNotifier } from "../adapters/sqs-notifier.ts";
import { ENV } from "./shared/env-names.ts";
import { requireEnv } from "./shared/env.ts";
import { logForOrder, logger } from "./shared/logger.ts";
import { consolidationPayloadSchema } from "./shared/messages.ts";

const users = new DynamoUserStore(requireEnv(ENV.USERS_TABLE));
const quotes = new DynamoQuoteStore(requireEnv(ENV.QUOTES_TABLE));
const transactionsTable = requireEnv(ENV.TRANSACTIONS_TABLE);
const orders = new DynamoOrderStore(transactionsTable);
const attention = new DynamoAttentionList(transactionsTable);
const push = new SqsNotifier(requireEnv(ENV.PUSH_QUEUE_URL));
const email = new SqsNotifier(requireEnv(ENV.EMAIL_QUEUE_URL));

export class InvalidOutcomeError extends Error {
  override readonly name = "InvalidOutcomeError";
}

export class NotificationsNotQueuedError extends Error {
  override readonly name = "NotificationsNotQueuedError";
}

export interface ConsolidationResult {
  readonly valuedAt: string;
  readonly stored: boolean;
  /** Orders whose notifications were queued by this run. */
  readonly notified: number;
}

/** Takes each order off the reconciler's list; a repeat (a retry, a second trigger) changes nothing. */
async function settle(outcomes: readonly OrderOutcome[]): Promise<void> {
  const at = new Date().toISOString();
  await Promise.all(
    outcomes.map(async (outcome) => {
      const marked = await attention.markNotified(outcome.orderId, at);
      if (!marked) withOrder(outcome, () => logger.info("order was already settled or is not final"));
    }),
  );
}

/** Runs a log call with the order's keys, then goes back to the user's. */
function withOrder(outcome: OrderOutcome, log: () => void): void {
  logForOrder({ orderId: outcome.orderId, correlationId: outcome.correlationId, userId: outcome.userId });
  log();
  logForOrder({ userId: outcome.userId });
}

/**
 * Invoked asynchronously with one user's order outcomes (by process-order, one invoke per
 * user and batch, or again by the reconciler): revalue the user once, store it, queue a push
 * and an e-mail per order, then mark each order notified.
 */
const lambdaHandler = async (event: unknown): Promise<ConsolidationResult | undefined> => {
  const parsed = consolidationPayloadSchema.safeParse(event);
  if (!parsed.success) {
    logForOrder({});
    logger.error("invalid consolidation payload", { issues: parsed.error.issues });
    throw new InvalidOutcomeError("consolidation payload is neither an order outcome nor one user's list of them");
  }
  // An order listed twice is notified once.
  const received = [...new Map(parsed.data.map((outcome) => [outcome.orderId, outcome])).values()];
  const userId = received[0]?.userId ?? "";
  logForOrder({ userId });
  const known = await orders.getMany(received.map((outcome) => outcome.orderId));
  const outcomes = received.filter((outcome) => {
    if (!known.get(outcome.orderId)?.notifiedAt) return true;
    withOrder(outcome, () => logger.info("notifications were already queued; nothing to do"));
    return false;
  });
  if (outcomes.length === 0) return undefined;

  const account = await users.getAccount(userId);
  if (!account) {
    logger.warn("user not found; nothing to consolidate", { orders: outcomes.length });
    await settle(outcomes);
    return undefined;
  }
  const latest = await quotes.latestMany(account.positions.map((p) => p.ticker));
  const { totals } = valuePortfolio(account.positions, latest);
  const computed: StoredValuation = { totals, valuedAt: new Date().toISOString(), tradeVersion: account.profile.tradeVersion };
  const stored = await users.saveValuation(userId, computed);
  // When a newer valuation won the race, tell the user about that one.
  const valuation = stored ? computed : ((await users.getProfile(userId))?.valuation ?? computed);
  logger.info("portfolio consolidated", { stored, valuedAt: valuation.valuedAt, BRL: valuation.totals.BRL, USD: valuation.totals.USD, orders: outcomes.length });

  const portfolioValue = { BRL: formatCents(valuation.totals.BRL.marketValue), USD: formatCents(valuation.totals.USD.marketValue) };
  const notifications: Notification[] = outcomes.map((outcome) => ({
    ...outcome,
    name: account.profile.name,
    email: account.profile.email,
    portfolioValue,
    valuedAt: valuation.valuedAt,
  }));
  const [pushFailed, emailFailed] = await Promise.all([push.notifyAll(notifications), email.notifyAll(notifications)]);
  const notQueued = new Set([...pushFailed, ...emailFailed]);
  const queued = outcomes.filter((outcome) => !notQueued.has(outcome.orderId));
  for (const outcome of queued) withOrder(outcome, () => logger.info("notifications queued"));
  await settle(queued);
  if (notQueued.size > 0) {
    // Those orders stay unsettled: Lambda's retry (or, in the end, the reconciler) queues them again.
    throw new NotificationsNotQueuedError(`notifications of ${notQueued.size} of ${outcomes.length} orders could not be queued: ${[...notQueued].join(", ")}`);
  }
  return { valuedAt: valuation.valuedAt, stored, notified: queued.length };
};

export const handler = middy(lambdaHandler);
