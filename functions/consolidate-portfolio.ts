import middy from "@middy/core";
import { formatCents } from "../domain/money.ts";
import type { Notification } from "../domain/notification.ts";
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
import { orderOutcomeSchema } from "./shared/messages.ts";

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

/** Takes the order off the reconciler's list; a repeat (a retry, a second trigger) changes nothing. */
async function settle(orderId: string): Promise<void> {
  const marked = await attention.markNotified(orderId, new Date().toISOString());
  if (!marked) logger.info("order was already settled or is not final");
}

/**
 * Invoked asynchronously with an order's outcome (by process-order, or again by the
 * reconciler): revalue the user, store it, notify twice, then mark the order notified.
 */
const lambdaHandler = async (event: unknown): Promise<{ valuedAt: string; stored: boolean } | undefined> => {
  const parsed = orderOutcomeSchema.safeParse(event);
  if (!parsed.success) {
    logForOrder({});
    logger.error("invalid consolidation payload", { issues: parsed.error.issues });
    throw new InvalidOutcomeError("consolidation payload does not match the order outcome schema");
  }
  const outcome = parsed.data;
  logForOrder({ orderId: outcome.orderId, correlationId: outcome.correlationId, userId: outcome.userId });
  if ((await orders.get(outcome.orderId))?.notifiedAt) {
    logger.info("notifications were already queued; nothing to do");
    return undefined;
  }

  const account = await users.getAccount(outcome.userId);
  if (!account) {
    logger.warn("user not found; nothing to consolidate");
    await settle(outcome.orderId);
    return undefined;
  }
  const latest = await quotes.latestMany(account.positions.map((p) => p.ticker));
  const { totals } = valuePortfolio(account.positions, latest);
  const computed: StoredValuation = { totals, valuedAt: new Date().toISOString(), tradeVersion: account.profile.tradeVersion };
  const stored = await users.saveValuation(outcome.userId, computed);
  // When a newer valuation won the race, tell the user about that one.
  const valuation = stored ? computed : ((await users.getProfile(outcome.userId))?.valuation ?? computed);
  logger.info("portfolio consolidated", { stored, valuedAt: valuation.valuedAt, BRL: valuation.totals.BRL, USD: valuation.totals.USD });

  const notification: Notification = {
    ...outcome,
    name: account.profile.name,
    email: account.profile.email,
    portfolioValue: { BRL: formatCents(valuation.totals.BRL.marketValue), USD: formatCents(valuation.totals.USD.marketValue) },
    valuedAt: valuation.valuedAt,
  };
  await Promise.all([push.notify(notification), email.notify(notification)]);
  logger.info("notifications queued");
  await settle(outcome.orderId);
  return { valuedAt: valuation.valuedAt, stored };
};

export const handler = middy(lambdaHandler);
