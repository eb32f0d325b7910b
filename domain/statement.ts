/** The daily statement: a user's filled orders of one UTC day, totalled per ticker and currency. Pure. */
import type { Cents, Currency } from "./money.ts";
import type { OrderSide } from "./order.ts";

export interface StatementTrade {
  readonly ticker: string;
  readonly currency: Currency;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly amount: Cents;
  readonly executedAt: string;
  /** Shares of the ticker held after the trade. */
  readonly positionAfter: number;
}

export interface TradeTotals {
  readonly quantity: number;
  readonly amount: Cents;
}

export interface StatementEntry {
  readonly ticker: string;
  readonly currency: Currency;
  readonly bought: TradeTotals;
  readonly sold: TradeTotals;
  /** No fees are charged today; kept so a statement says so. */
  readonly fees: Cents;
  /** Shares held after the day's last trade of the ticker. */
  readonly closingPosition: number;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether the text is a real calendar day written YYYY-MM-DD. */
export function isStatementDay(text: string): boolean {
  const match = DAY.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The UTC day (YYYY-MM-DD) of an ISO instant. */
export const utcDayOf = (instant: string): string => new Date(instant).toISOString().slice(0, 10);

/** One entry per ticker and currency, ordered by ticker; trades in any order. */
export function dailyStatement(trades: readonly StatementTrade[]): StatementEntry[] {
  const byKey = new Map<string, { ticker: string; currency: Currency; bought: TradeTotals; sold: TradeTotals; last?: StatementTrade }>();
  for (const trade of trades) {
    const key = `${trade.ticker}|${trade.currency}`;
    const entry = byKey.get(key) ?? { ticker: trade.ticker, currency: trade.currency, bought: { quantity: 0, amount: 0 }, sold: { quantity: 0, amount: 0 } };
    const add = (totals: TradeTotals): TradeTotals => ({ quantity: totals.quantity + trade.quantity, amount: totals.amount + trade.amount });
    if (trade.side === "BUY") entry.bought = add(entry.bought);
    else entry.sold = add(entry.sold);
    if (!entry.last || trade.executedAt >= entry.last.executedAt) entry.last = trade;
    byKey.set(key, entry);
  }
  return [...byKey.values()]
    .map(({ ticker, currency, bought, sold, last }) => ({ ticker, currency, bought, sold, fees: 0, closingPosition: last?.positionAfter ?? 0 }))
    .sort((a, b) => a.ticker.localeCompare(b.ticker) || a.currency.localeCompare(b.currency));
}
