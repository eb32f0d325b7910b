import { averagePrice, CURRENCIES, multiplyToCents, type Cents, type Currency, type PriceUnits } from "./money.ts";
import type { Position } from "./execution.ts";
import type { Quote, QuoteSource } from "./quote.ts";

export interface HeldPosition extends Position {
  readonly currency: Currency;
}

export interface PositionValuation extends HeldPosition {
  readonly averageCost: PriceUnits;
  /** Undefined when no quote is known: the position is then valued at cost. */
  readonly price?: PriceUnits;
  readonly source?: QuoteSource;
  readonly marketValue: Cents;
  readonly unrealizedPnl: Cents;
}

export interface CurrencyTotals {
  readonly marketValue: Cents;
  readonly costBasis: Cents;
  readonly unrealizedPnl: Cents;
}

export type PortfolioTotals = Readonly<Record<Currency, CurrencyTotals>>;

export const ZERO_TOTALS: CurrencyTotals = { marketValue: 0, costBasis: 0, unrealizedPnl: 0 };

export function emptyTotals(): PortfolioTotals {
  return { BRL: ZERO_TOTALS, USD: ZERO_TOTALS };
}

/** Values one position at a quote (or at cost when no quote is known). */
export function valuePosition(position: HeldPosition, quote: Quote | undefined): PositionValuation {
  const marketValue = quote ? multiplyToCents(position.quantity, quote.price) : position.costBasis;
  return {
    ...position,
    averageCost: averagePrice(position.costBasis, position.quantity),
    ...(quote ? { price: quote.price, source: quote.source } : {}),
    marketValue,
    unrealizedPnl: marketValue - position.costBasis,
  };
}

/** Values every open position and sums per currency; currencies never mix. */
export function valuePortfolio(
  positions: readonly HeldPosition[],
  quotes: ReadonlyMap<string, Quote>,
): { positions: PositionValuation[]; totals: PortfolioTotals } {
  const valued = positions.filter((p) => p.quantity > 0).map((p) => valuePosition(p, quotes.get(p.ticker)));
  const totals = Object.fromEntries(
    CURRENCIES.map((currency) => {
      const mine = valued.filter((p) => p.currency === currency);
      const sum = (pick: (p: PositionValuation) => Cents) => mine.reduce((total, p) => total + pick(p), 0);
      return [currency, { marketValue: sum((p) => p.marketValue), costBasis: sum((p) => p.costBasis), unrealizedPnl: sum((p) => p.unrealizedPnl) }];
    }),
  ) as Record<Currency, CurrencyTotals>;
  return { positions: valued, totals };
}
