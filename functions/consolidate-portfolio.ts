import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import { formatCents } from "../domain/money.ts";
import type { Notification, OrderOutcome } from "../domain/notification.ts";
import { valuePortfolio } from "../domain/valuation.ts";
import { DynamoAttentionList } from "../adapters/dynamo-attention-list.ts";
import { DynamoOrderStore } from "../adapters/dynamo-order-store.ts";
import { DynamoQuoteStore } from "../adapters/dynamo-quote-store.ts";
import { DynamoUserStore } from "../adapters/dynamo-user-store.ts";
import { accountSnapshotOf, type AccountSnapshot, type StoredValuation } from "../adapters/ports.ts";
import { SqsNotifier } from "../adapters/sqs-notifier.ts";
import { ENV } from "./shared/env-names.ts";
import { requireEnv } from "./shared/env.ts";
import { logForOrder, logger } from "./shared/logger.ts";
import { consolidationPayloadSchema } from "./shared/messages.ts";
import { tracer } from "./shared/telemetry.ts";

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

/** The valuation a run told a user about. */
export interface UserValuation {
  readonly valuedAt: string;
  /** False when a newer valuation was already stored (that one was told instead). */
  readonly stored: boolean;
}

export interface ConsolidationResult {
  /** Per user of the payload who exists and had orders still to notify. */
  readonly valuations: Readonly<Record<string, UserValuation>>;
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

/** Runs a log call with the order's keys, then clears them. */
function withOrder(outcome: OrderOutcome, log: () => void): void {
  logForOrder({ orderId: outcome.orderId, correlationId: outcome.correlationId, userId: outcome.userId });
  log();
  logForOrder({});
}

/** The account as the payload carries it, or else as the table has it (undefined: no such user). */
async function accountOf(userId: string, given: AccountSnapshot | undefined): Promise<AccountSnapshot | undefined> {
  if (given) return given;
  const account = await users.getAccount(userId);
  return account && accountSnapshotOf(account);
}

/** Values one user's positions at the latest quotes and stores it, unless a newer valuation is there. */
async function revalue(userId: string, account: AccountSnapshot, latest: Parameters<typeof valuePortfolio>[1]): Promise<StoredValuation & { stored: boolean }> {
  const { totals } = valuePortfolio(account.positions, latest);
  const computed: StoredValuation = { totals, valuedAt: new Date().toISOString(), tradeVersion: account.tradeVersion };
  const stored = await users.saveValuation(userId, computed);
  // When a newer valuation won the race, tell the user about that one.
  const valuation = stored ? computed : ((await users.getProfile(userId))?.valuation ?? computed);
  logForOrder({ userId });
  logger.info("portfolio consolidated", { stored, valuedAt: valuation.valuedAt, BRL: valuation.totals.BRL, USD: valuation.totals.USD });
  logForOrder({});
  return { ...valuation, stored };
}

/**
 * Invoked asynchronously with the order outcomes of one process-order batch (or again by
 * the reconciler): revalue each of their users once (from the account the payload carries,
 * else from the table; one read of the quotes for all of them) and store it, queue a push
 * and an e-mail per order in batches, then mark each order notified. A failure throws, so
 * Lambda retries; orders already notified are skipped then.
 */
const lambdaHandler = async (event: unknown): Promise<ConsolidationResult | undefined> => {
  logForOrder({});
  const parsed = consolidationPayloadSchema.safeParse(event);
  if (!parsed.success) {
    logger.error("invalid consolidation payload", { issues: parsed.error.issues });
    throw new InvalidOutcomeError("consolidation payload is neither an order outcome nor a list of them");
  }
  // An order listed twice is notified once.
  const received = [...new Map(parsed.data.outcomes.map((outcome) => [outcome.orderId, outcome])).values()];
  const known = await orders.getMany(received.map((outcome) => outcome.orderId));
  const outcomes = received.filter((outcome) => {
    if (!known.get(outcome.orderId)?.notifiedAt) return true;
    withOrder(outcome, () => logger.info("notifications were already queued; nothing to do"));
    return false;
  });
  if (outcomes.length === 0) return undefined;

  const userIds = [...new Set(outcomes.map((outcome) => outcome.userId))];
  const given = parsed.data.accounts;
  const accounts = new Map(await Promise.all(userIds.map(async (userId) => [userId, await accountOf(userId, given[userId])] as const)));
  const gone = outcomes.filter((outcome) => accounts.get(outcome.userId) === undefined);
  for (const outcome of gone) withOrder(outcome, () => logger.warn("user not found; nothing to consolidate"));
  const present = [...accounts].flatMap(([userId, account]) => (account ? [[userId, account] as const] : []));
  const latest = await quotes.latestMany(present.flatMap(([, account]) => account.positions.map((p) => p.ticker)));
  const valuations = new Map(await Promise.all(present.map(async ([userId, account]) => [userId, await revalue(userId, account, latest)] as const)));

  const notifications: Notification[] = outcomes.flatMap((outcome) => {
    const account = accounts.get(outcome.userId);
    const valuation = valuations.get(outcome.userId);
    if (!account || !valuation) return [];
    const portfolioValue = { BRL: formatCents(valuation.totals.BRL.marketValue), USD: formatCents(valuation.totals.USD.marketValue) };
    return [{ ...outcome, name: account.name, ...(account.encryptedEmail ? { encryptedEmail: account.encryptedEmail } : {}), portfolioValue, valuedAt: valuation.valuedAt }];
  });
  const [pushFailed, emailFailed] = await Promise.all([push.notifyAll(notifications), email.notifyAll(notifications)]);
  const notQueued = new Set([...pushFailed, ...emailFailed]);
  const queued = notifications.filter((notification) => !notQueued.has(notification.orderId));
  for (const outcome of queued) withOrder(outcome, () => logger.info("notifications queued"));
  await settle([...gone, ...queued]);
  if (notQueued.size > 0) {
    // Those orders stay unsettled: Lambda's retry (or, in the end, the reconciler) queues them again.
    throw new NotificationsNotQueuedError(`notifications of ${notQueued.size} of ${outcomes.length} orders could not be queued: ${[...notQueued].join(", ")}`);
  }
  const told = Object.fromEntries([...valuations].map(([userId, { valuedAt, stored }]) => [userId, { valuedAt, stored }]));
  return { valuations: told, notified: queued.length };
};

export const handler = middy(lambdaHandler).use(captureLambdaHandler(tracer));
