import { executeOrder } from "../../domain/execution.ts";
import { outcomeOf, type OrderOutcome } from "../../domain/notification.ts";
import { isFinal, type Order, type RejectionReason } from "../../domain/order.ts";
import { UnknownTickerError, type Quote } from "../../domain/quote.ts";
import type { OrderMessage, OrderStore, PriceSource, QuoteStore, TradeLedger, UserStore } from "../../adapters/ports.ts";
import { logger } from "../shared/logger.ts";

export interface OrderProcessorPorts {
  readonly orders: OrderStore;
  readonly users: UserStore;
  readonly quotes: QuoteStore;
  readonly prices: PriceSource;
  readonly ledger: TradeLedger;
  readonly clock?: () => Date;
}

/**
 * Takes one queued order to its final state. Returns the outcome when this call
 * decided it, or undefined when there was nothing to do (unknown or already final
 * order: a redelivered message never fills twice). Throws only for transient
 * failures, which the queue retries.
 */
export class OrderProcessor {
  private readonly clock: () => Date;

  constructor(private readonly ports: OrderProcessorPorts) {
    this.clock = ports.clock ?? (() => new Date());
  }

  async process(message: OrderMessage): Promise<OrderOutcome | undefined> {
    const order = await this.ports.orders.get(message.orderId);
    if (!order) {
      logger.warn("order not found; message dropped");
      return undefined;
    }
    if (isFinal(order.status)) {
      logger.info("order already final; nothing to do", { status: order.status });
      return undefined;
    }
    const quote = await this.priceOf(order);
    if (!quote) return this.reject(order, "UNKNOWN_TICKER");
    const ageSeconds = Math.max(0, Math.round((this.clock().getTime() - Date.parse(quote.asOf)) / 1000));
    logger.info("price obtained", { ticker: quote.ticker, price: quote.price, source: quote.source, asOf: quote.asOf, ageSeconds });
    if (quote.source !== "cache") await this.ports.quotes.record(quote);

    const account = await this.ports.users.getAccount(order.userId);
    if (!account) return this.reject(order, "USER_NOT_FOUND");
    const position = account.positions.find((p) => p.ticker === order.ticker);
    const decision = executeOrder(order, quote, { cash: account.profile.cash[order.currency], ...(position ? { position } : {}) });
    if (decision.kind === "REJECT") return this.reject(order, decision.reason);

    const fill = { price: quote.price, amount: decision.amount, currency: order.currency, quoteSource: quote.source, quoteAsOf: quote.asOf, executedAt: this.clock().toISOString() };
    const written = await this.ports.ledger.recordFill(order, decision, fill);
    if (written.kind === "ALREADY_FINAL") return undefined;
    if (written.kind === "REJECTED") return this.reject(order, written.reason);
    logger.info("order filled", { amount: fill.amount, currency: fill.currency, quoteSource: fill.quoteSource });
    return outcomeOf({ ...order, status: "FILLED", fill, updatedAt: fill.executedAt });
  }

  /** The quote, or undefined for a ticker no market knows. Transient failures propagate. */
  private async priceOf(order: Order): Promise<Quote | undefined> {
    try {
      return await this.ports.prices.quote(order.ticker);
    } catch (error) {
      if (error instanceof UnknownTickerError) return undefined;
      throw error;
    }
  }

  private async reject(order: Order, reason: RejectionReason): Promise<OrderOutcome | undefined> {
    const at = this.clock().toISOString();
    const changed = await this.ports.orders.reject(order, reason, at);
    if (!changed) return undefined;
    logger.info("order rejected", { reason });
    return outcomeOf({ ...order, status: "REJECTED", reason, updatedAt: at });
  }
}
