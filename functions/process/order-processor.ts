import { executeOrder, type Execution, type Rejection } from "../../domain/execution.ts";
import { outcomeOf, type OrderOutcome } from "../../domain/notification.ts";
import { isFinal, type Order, type RejectionReason } from "../../domain/order.ts";
import { UnknownTickerError, type Quote } from "../../domain/quote.ts";
import { PriceDeadlineError, type OrderMessage, type OrderStore, type PriceSource, type QuoteStore, type TradeLedger, type UserAccount, type UserStore } from "../../adapters/ports.ts";
import { logger } from "../shared/logger.ts";
import { NO_ORDER_METRICS, type OrderMetrics } from "../shared/order-metrics.ts";
import { NO_DEADLINE, OutOfTimeError, type BatchDeadline } from "./batch-deadline.ts";

export interface OrderProcessorPorts {
  readonly orders: OrderStore;
  readonly users: UserStore;
  readonly quotes: QuoteStore;
  readonly prices: PriceSource;
  readonly ledger: TradeLedger;
  readonly clock?: () => Date;
  /** Where fills and rejections are counted. @default NO_ORDER_METRICS */
  readonly metrics?: OrderMetrics;
}

/** Whether the order fills at the quote, given the account's cash and position. */
function decide(order: Order, quote: Quote, account: UserAccount): Execution | Rejection {
  const position = account.positions.find((p) => p.ticker === order.ticker);
  return executeOrder(order, quote, { cash: account.profile.cash[order.currency], ...(position ? { position } : {}) });
}

/** The account as the fill transaction leaves it: the same deltas, applied to the batch's copy. */
export function accountAfterFill(account: UserAccount, order: Order, execution: Execution): UserAccount {
  const { profile, positions } = account;
  const held = positions.find((p) => p.ticker === order.ticker);
  const moved = {
    ticker: order.ticker,
    currency: order.currency,
    quantity: (held?.quantity ?? 0) + execution.quantityDelta,
    costBasis: (held?.costBasis ?? 0) + execution.costBasisDelta,
  };
  return {
    profile: { ...profile, cash: { ...profile.cash, [order.currency]: profile.cash[order.currency] + execution.cashDelta }, tradeVersion: profile.tradeVersion + 1 },
    positions: held ? positions.map((p) => (p === held ? moved : p)) : [...positions, moved],
  };
}

/** A ticker no market lists, remembered for the rest of the batch. */
const UNKNOWN = Symbol("unknown ticker");

/**
 * What the orders of one SQS batch share: their order items, read together up front;
 * the quote of each ticker, priced (and recorded) once; each user's account, read once;
 * the live quotes to append to the quote history when the batch is done.
 */
export class OrderBatch {
  /** Each ticker's quote for this batch, or UNKNOWN. Failures are not remembered: the next order tries again. */
  readonly quotes = new Map<string, Quote | typeof UNKNOWN>();
  /** Live quotes obtained in this batch, for the history. */
  readonly obtained: Quote[] = [];
  /**
   * Each user's account as read once in this batch and then moved by the batch's own fills
   * (`moved`). Dropped whenever a write did not go as expected, so the next order reads it again.
   */
  readonly accounts = new Map<string, { account: UserAccount | undefined; moved: boolean }>();
  /** The one read of the batch's orders (undefined inside when it failed). */
  prefetched?: Promise<Map<string, Order> | undefined>;
  /** Orders that read covers and no message has taken yet; missing from the map means not found. */
  readonly unread: Set<string>;

  constructor(
    readonly orderIds: readonly string[],
    /** When the invocation's time runs out; orders not taken by then go back to the queue. */
    readonly deadline: BatchDeadline = NO_DEADLINE,
  ) {
    this.unread = new Set(orderIds);
  }
}

/**
 * Takes queued orders to their final state, one at a time, within a batch. process()
 * returns the outcome when this call decided it, or undefined when there was nothing
 * to do (unknown or already final order: a redelivered message never fills twice). It
 * throws for transient failures, which the queue retries, and OutOfTimeError when the
 * batch's deadline leaves no time to price and fill the order.
 */
export class OrderProcessor {
  private readonly clock: () => Date;
  private readonly metrics: OrderMetrics;
  /** asOf and price of the last quote this instance recorded per ticker: the same quote again is not written again. */
  private readonly recorded = new Map<string, string>();

  constructor(private readonly ports: OrderProcessorPorts) {
    this.clock = ports.clock ?? (() => new Date());
    this.metrics = ports.metrics ?? NO_ORDER_METRICS;
  }

  /** A batch for these order ids; their items are read with one BatchGetItem when the first is needed. */
  startBatch(orderIds: readonly string[], deadline: BatchDeadline = NO_DEADLINE): OrderBatch {
    return new OrderBatch(orderIds, deadline);
  }

  async process(message: OrderMessage, batch: OrderBatch = this.startBatch([message.orderId])): Promise<OrderOutcome | undefined> {
    const order = await this.orderOf(message.orderId, batch);
    if (!order) {
      logger.warn("order not found; message dropped");
      return undefined;
    }
    if (isFinal(order.status)) {
      logger.info("order already final; nothing to do", { status: order.status });
      return undefined;
    }
    // Checked once the order is known to need work: nothing of it is written after this.
    if (!batch.deadline.allowsAnotherOrder()) throw new OutOfTimeError("no time left in this invocation to price and fill the order");
    const quote = await this.priceOf(order.ticker, batch);
    if (!quote) return this.reject(order, "UNKNOWN_TICKER");
    const ageSeconds = Math.max(0, Math.round((this.clock().getTime() - Date.parse(quote.asOf)) / 1000));
    logger.info("price obtained", { ticker: quote.ticker, price: quote.price, source: quote.source, asOf: quote.asOf, ageSeconds });

    let account = await this.accountOf(order.userId, batch);
    if (!account) return this.reject(order, "USER_NOT_FOUND");
    let decision = decide(order, quote, account);
    if (decision.kind === "REJECT" && batch.accounts.get(order.userId)?.moved) {
      // Never reject on the batch's own bookkeeping alone: check against the table first.
      account = await this.accountOf(order.userId, batch, { reread: true });
      if (!account) return this.reject(order, "USER_NOT_FOUND");
      decision = decide(order, quote, account);
    }
    if (decision.kind === "REJECT") return this.reject(order, decision.reason);

    const fill = { price: quote.price, amount: decision.amount, currency: order.currency, quoteSource: quote.source, quoteAsOf: quote.asOf, executedAt: this.clock().toISOString() };
    let written;
    try {
      written = await this.ports.ledger.recordFill(order, decision, fill);
    } catch (error) {
      batch.accounts.delete(order.userId);
      throw error;
    }
    if (written.kind !== "FILLED") {
      // Someone else moved the order or the account: what this batch holds of it is stale.
      batch.accounts.delete(order.userId);
      if (written.kind === "ALREADY_FINAL") return undefined;
      return this.reject(order, written.reason);
    }
    const after = accountAfterFill(account, order, decision);
    batch.accounts.set(order.userId, { account: after, moved: true });
    logger.info("order filled", { amount: fill.amount, currency: fill.currency, quoteSource: fill.quoteSource });
    const filled = { ...order, status: "FILLED" as const, fill, updatedAt: fill.executedAt };
    this.metrics.filled(filled);
    // The position this fill left, for the daily statement's closing position.
    const positionAfter = after.positions.find((p) => p.ticker === order.ticker)?.quantity ?? 0;
    return { ...outcomeOf(filled), positionAfter };
  }

  /** The user's account: read once per batch (or again when asked), then as the batch's fills left it. */
  private async accountOf(userId: string, batch: OrderBatch, options: { reread?: boolean } = {}): Promise<UserAccount | undefined> {
    const held = batch.accounts.get(userId);
    if (held && !options.reread) return held.account;
    const account = await this.ports.users.getAccount(userId);
    batch.accounts.set(userId, { account, moved: false });
    return account;
  }

  /**
   * Appends the batch's live quotes to the quote history, in one BatchWriteItem. Never
   * throws: the orders are decided already, and the history is a record, not an input.
   */
  async finishBatch(batch: OrderBatch): Promise<void> {
    if (batch.obtained.length === 0) return;
    try {
      await this.ports.quotes.recordHistory(batch.obtained);
    } catch (error) {
      logger.error("could not append the batch's quotes to the quote history", { tickers: batch.obtained.map((q) => q.ticker), problem: error instanceof Error ? error.message : String(error) });
    }
  }

  /** The order item, from the batch's one read of all its orders; a second message for one order reads it again. */
  private async orderOf(orderId: string, batch: OrderBatch): Promise<Order | undefined> {
    batch.prefetched ??= this.ports.orders.getMany(batch.orderIds).catch((error: unknown) => {
      logger.warn("could not read the batch's orders together; reading them one by one", { problem: error instanceof Error ? error.message : String(error) });
      return undefined;
    });
    const prefetched = await batch.prefetched;
    if (prefetched && batch.unread.delete(orderId)) return prefetched.get(orderId);
    return this.ports.orders.get(orderId);
  }

  /**
   * The ticker's quote for this batch, or undefined for a ticker no market knows.
   * The first order of a ticker prices it and records a live quote as the latest;
   * the batch's later orders of that ticker trade on the same quote. Transient
   * failures propagate and are not remembered. The call gets no more time than the
   * batch's deadline leaves.
   */
  private async priceOf(ticker: string, batch: OrderBatch): Promise<Quote | undefined> {
    const known = batch.quotes.get(ticker);
    if (known === UNKNOWN) return undefined;
    if (known) return known;
    let quote: Quote;
    try {
      const timeoutMs = batch.deadline.priceBudgetMs();
      quote = await this.ports.prices.quote(ticker, Number.isFinite(timeoutMs) ? { timeoutMs } : {});
    } catch (error) {
      if (error instanceof PriceDeadlineError) throw new OutOfTimeError(`no price for ${ticker} in the time left`, { cause: error });
      if (!(error instanceof UnknownTickerError)) throw error;
      batch.quotes.set(ticker, UNKNOWN);
      return undefined;
    }
    // A cached quote is not written back; the same quote recorded already is not written again.
    const fingerprint = `${quote.asOf}|${quote.price}`;
    if (quote.source !== "cache" && this.recorded.get(ticker) !== fingerprint) {
      await this.ports.quotes.recordLatest(quote);
      this.recorded.set(ticker, fingerprint);
      batch.obtained.push(quote);
    }
    batch.quotes.set(ticker, quote);
    return quote;
  }

  private async reject(order: Order, reason: RejectionReason): Promise<OrderOutcome | undefined> {
    const at = this.clock().toISOString();
    const changed = await this.ports.orders.reject(order, reason, at);
    if (!changed) return undefined;
    logger.info("order rejected", { reason });
    this.metrics.rejected(order, reason);
    return outcomeOf({ ...order, status: "REJECTED", reason, updatedAt: at });
  }
}
