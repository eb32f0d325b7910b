/** How the read API shows domain values: money as 2-place decimal strings with a currency. */
import { CURRENCIES, formatCents, formatPrice } from "../../domain/money.ts";
import type { Order, OrderEvent } from "../../domain/order.ts";
import type { Quote } from "../../domain/quote.ts";
import type { StatementEntry } from "../../domain/statement.ts";
import { listingOf } from "../../domain/tickers.ts";
import type { OrderEvent as PublishedEvent } from "../shared/order-events.ts";
import { emptyTotals, valuePortfolio, type CurrencyTotals } from "../../domain/valuation.ts";
import type { UserAccount } from "../../adapters/ports.ts";

const totalsView = (t: CurrencyTotals) => ({ marketValue: formatCents(t.marketValue), costBasis: formatCents(t.costBasis), unrealizedPnl: formatCents(t.unrealizedPnl) });

/** Cash, positions at their latest quotes, and the last consolidated portfolio value. */
export function userView(account: UserAccount, quotes: ReadonlyMap<string, Quote>) {
  const { profile } = account;
  const { positions } = valuePortfolio(account.positions, quotes);
  const totals = profile.valuation?.totals ?? emptyTotals();
  return {
    userId: profile.userId,
    name: profile.name,
    cash: Object.fromEntries(CURRENCIES.map((c) => [c, formatCents(profile.cash[c])])),
    positions: positions.map((p) => ({
      ticker: p.ticker,
      currency: p.currency,
      quantity: p.quantity,
      averageCost: formatPrice(p.averageCost),
      costBasis: formatCents(p.costBasis),
      price: p.price === undefined ? null : formatPrice(p.price),
      marketValue: formatCents(p.marketValue),
      unrealizedPnl: formatCents(p.unrealizedPnl),
      source: p.source ?? null,
      asOf: quotes.get(p.ticker)?.asOf ?? null,
    })),
    portfolioValue: Object.fromEntries(CURRENCIES.map((c) => [c, formatCents(totals[c].marketValue)])),
    portfolio: Object.fromEntries(CURRENCIES.map((c) => [c, totalsView(totals[c])])),
    valuedAt: profile.valuation?.valuedAt ?? null,
  };
}

/** Whole seconds from one instant to a later one; how old a quote was when an order was filled on it. */
const secondsBetween = (from: string, to: string): number => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

export function orderView(order: Order) {
  return {
    orderId: order.orderId,
    userId: order.userId,
    ticker: order.ticker,
    side: order.side,
    quantity: order.quantity,
    currency: order.currency,
    status: order.status,
    ...(order.reason ? { reason: order.reason } : {}),
    ...(order.fill
      ? {
          price: formatPrice(order.fill.price),
          amount: formatCents(order.fill.amount),
          quoteSource: order.fill.quoteSource,
          quoteAsOf: order.fill.quoteAsOf,
          quoteAgeSeconds: secondsBetween(order.fill.quoteAsOf, order.fill.executedAt),
          executedAt: order.fill.executedAt,
        }
      : {}),
    correlationId: order.correlationId,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}

export function eventView(event: OrderEvent) {
  return {
    status: event.status,
    at: event.at,
    ...(event.reason ? { reason: event.reason } : {}),
    ...(event.price === undefined ? {} : { price: formatPrice(event.price) }),
    ...(event.amount === undefined ? {} : { amount: formatCents(event.amount) }),
  };
}

export function quoteView(quote: Quote) {
  return {
    ticker: quote.ticker,
    symbol: listingOf(quote.ticker)?.yahooSymbol ?? quote.ticker,
    price: formatPrice(quote.price),
    currency: quote.currency,
    asOf: quote.asOf,
    source: quote.source,
  };
}

/** An audited order event, without the notification's personal fields. */
export function auditedEventView(event: PublishedEvent) {
  return {
    eventId: event.eventId,
    type: event.type,
    occurredAt: event.occurredAt,
    status: event.status,
    ...(event.type === "filled" ? { price: event.price, amount: event.amount, positionAfter: event.positionAfter } : {}),
    ...(event.type === "rejected" ? { reason: event.reason } : {}),
  };
}

const totals = (t: StatementEntry["bought"]) => ({ quantity: t.quantity, amount: formatCents(t.amount) });

/** A user's statement of one UTC day; fees are zero today, and the statement says so. */
export function statementView(userId: string, date: string, entries: readonly StatementEntry[], trades: number) {
  return {
    userId,
    date,
    trades,
    entries: entries.map((e) => ({ ticker: e.ticker, currency: e.currency, bought: totals(e.bought), sold: totals(e.sold), fees: formatCents(e.fees), closingPosition: e.closingPosition })),
  };
}
