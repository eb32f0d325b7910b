import { formatCents } from "../../domain/money.ts";
import type { Notification, OrderOutcome } from "../../domain/notification.ts";
import { valuePortfolio } from "../../domain/valuation.ts";
import type { OrderEventPublisher } from "../../adapters/event-ports.ts";
import { accountSnapshotOf, type AccountSnapshot, type AttentionList, type OrderStore, type QuoteStore, type StoredValuation, type UserStore } from "../../adapters/ports.ts";
import { logForOrder, logger } from "../shared/logger.ts";
import type { Order } from "../../domain/order.ts";
import { acceptedEvent, finalEvent, type OrderEvent } from "../shared/order-events.ts";

export interface PortfolioConsolidatorPorts {
  readonly users: UserStore;
  readonly quotes: Pick<QuoteStore, "latestMany">;
  readonly orders: Pick<OrderStore, "getMany">;
  readonly attention: Pick<AttentionList, "markNotified">;
  /** The OrderEvents topic: the push, e-mail, audit and reports queues subscribe to it. */
  readonly events: OrderEventPublisher;
  readonly clock?: () => Date;
}

/** What one consolidation is asked to do: the outcomes of a batch and the accounts it knows, by user id. */
export interface ConsolidationRequest {
  readonly outcomes: readonly OrderOutcome[];
  readonly accounts: Readonly<Record<string, AccountSnapshot>>;
}

/** The valuation a run told a user about. */
export interface UserValuation {
  readonly valuedAt: string;
  /** False when a newer valuation was already stored (that one was told instead). */
  readonly stored: boolean;
}

export interface ConsolidationResult {
  /** Per user of the request who exists and had orders still to notify. */
  readonly valuations: Readonly<Record<string, UserValuation>>;
  /** Orders whose events (`accepted` and the final one) were published by this run. */
  readonly notified: number;
}

export class EventsNotPublishedError extends Error {
  override readonly name = "EventsNotPublishedError";
}

type OrderKeys = Pick<OrderOutcome, "orderId" | "correlationId" | "userId">;

/** Runs a log call with the order's keys, then clears them. */
function withOrder(outcome: OrderKeys, log: () => void): void {
  logForOrder({ orderId: outcome.orderId, correlationId: outcome.correlationId, userId: outcome.userId });
  log();
  logForOrder({});
}

/**
 * Revalues each user of a batch's outcomes once (from the account the request carries,
 * else from the table; one read of the quotes for all of them) and stores it, publishes
 * each order's `accepted` and final events together (the push and e-mail queues receive
 * the final one, the audit queue both), then marks each order notified. Orders with an
 * event not published stay unmarked and the run throws, so Lambda's retry (or, in the end,
 * the reconciler) publishes them again; orders already notified are skipped. Publishing
 * `accepted` here rather than at acceptance takes a call off the accept path and gives the
 * event the same retries as the final one.
 */
export class PortfolioConsolidator {
  private readonly clock: () => Date;

  constructor(private readonly ports: PortfolioConsolidatorPorts) {
    this.clock = ports.clock ?? (() => new Date());
  }

  /** Undefined when every order of the request was notified already. */
  async consolidate(request: ConsolidationRequest): Promise<ConsolidationResult | undefined> {
    const { outcomes, orders } = await this.stillToNotify(request.outcomes);
    if (outcomes.length === 0) return undefined;

    const userIds = [...new Set(outcomes.map((outcome) => outcome.userId))];
    const accounts = new Map(await Promise.all(userIds.map(async (userId) => [userId, await this.accountOf(userId, request.accounts[userId])] as const)));
    const gone = outcomes.filter((outcome) => accounts.get(outcome.userId) === undefined);
    for (const outcome of gone) withOrder(outcome, () => logger.warn("user not found; nothing to consolidate"));
    const present = [...accounts].flatMap(([userId, account]) => (account ? [[userId, account] as const] : []));
    const latest = await this.ports.quotes.latestMany(present.flatMap(([, account]) => account.positions.map((p) => p.ticker)));
    const valuations = new Map(await Promise.all(present.map(async ([userId, account]) => [userId, await this.revalue(userId, account, latest)] as const)));

    const now = this.clock().toISOString();
    const events: OrderEvent[] = outcomes.flatMap((outcome) => {
      const account = accounts.get(outcome.userId);
      const valuation = valuations.get(outcome.userId);
      if (!account || !valuation) return [];
      const portfolioValue = { BRL: formatCents(valuation.totals.BRL.marketValue), USD: formatCents(valuation.totals.USD.marketValue) };
      const notification: Notification = { ...outcome, name: account.name, ...(account.encryptedEmail ? { encryptedEmail: account.encryptedEmail } : {}), portfolioValue, valuedAt: valuation.valuedAt };
      const held = account.positions.find((p) => p.ticker === outcome.ticker)?.quantity ?? 0;
      const order = orders.get(outcome.orderId);
      return [...(order ? [acceptedEvent(order)] : []), finalEvent(notification, held, now)];
    });
    const failedIds = new Set(await this.ports.events.publishAll(events));
    for (const event of events) {
      if (!failedIds.has(event.eventId)) withOrder(event, () => logger.info("order event published", { type: event.type, eventId: event.eventId }));
    }
    // An order is settled only once all its events are out; a repeat of one that was is harmless downstream.
    const unsettled = new Set(events.filter((event) => failedIds.has(event.eventId)).map((event) => event.orderId));
    const published = outcomes.filter((outcome) => accounts.get(outcome.userId) !== undefined && !unsettled.has(outcome.orderId));
    await this.settle([...gone, ...published]);
    if (unsettled.size > 0) {
      // Those orders stay unsettled: Lambda's retry (or, in the end, the reconciler) publishes them again.
      throw new EventsNotPublishedError(`events of ${unsettled.size} of ${outcomes.length} orders could not be published: ${[...failedIds].join(", ")}`);
    }
    const told = Object.fromEntries([...valuations].map(([userId, { valuedAt, stored }]) => [userId, { valuedAt, stored }]));
    return { valuations: told, notified: published.length };
  }

  /** The request's orders not yet notified (an order listed twice counts once), and their items. */
  private async stillToNotify(received: readonly OrderOutcome[]): Promise<{ outcomes: OrderOutcome[]; orders: ReadonlyMap<string, Order> }> {
    const unique = [...new Map(received.map((outcome) => [outcome.orderId, outcome])).values()];
    const orders = await this.ports.orders.getMany(unique.map((outcome) => outcome.orderId));
    const outcomes = unique.filter((outcome) => {
      if (!orders.get(outcome.orderId)?.notifiedAt) return true;
      withOrder(outcome, () => logger.info("final event was already published; nothing to do"));
      return false;
    });
    return { outcomes, orders };
  }

  /** The account as the request carries it, or else as the table has it (undefined: no such user). */
  private async accountOf(userId: string, given: AccountSnapshot | undefined): Promise<AccountSnapshot | undefined> {
    if (given) return given;
    const account = await this.ports.users.getAccount(userId);
    return account && accountSnapshotOf(account);
  }

  /** Values one user's positions at the latest quotes and stores it, unless a newer valuation is there. */
  private async revalue(userId: string, account: AccountSnapshot, latest: Parameters<typeof valuePortfolio>[1]): Promise<StoredValuation & { stored: boolean }> {
    const { totals } = valuePortfolio(account.positions, latest);
    const computed: StoredValuation = { totals, valuedAt: this.clock().toISOString(), tradeVersion: account.tradeVersion };
    const stored = await this.ports.users.saveValuation(userId, computed);
    // When a newer valuation won the race, tell the user about that one.
    const valuation = stored ? computed : ((await this.ports.users.getProfile(userId))?.valuation ?? computed);
    logForOrder({ userId });
    logger.info("portfolio consolidated", { stored, valuedAt: valuation.valuedAt, BRL: valuation.totals.BRL, USD: valuation.totals.USD });
    logForOrder({});
    return { ...valuation, stored };
  }

  /** Takes each order off the reconciler's list; a repeat (a retry, a second trigger) changes nothing. */
  private async settle(settled: readonly OrderKeys[]): Promise<void> {
    const at = this.clock().toISOString();
    await Promise.all(
      settled.map(async (outcome) => {
        const marked = await this.ports.attention.markNotified(outcome.orderId, at);
        if (!marked) withOrder(outcome, () => logger.info("order was already settled or is not final"));
      }),
    );
  }
}
