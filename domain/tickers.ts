import type { Currency } from "./money.ts";

/** Where a ticker trades, and what that means for its Yahoo symbol and currency. */
export interface Listing {
  readonly ticker: string;
  readonly market: "B3" | "US";
  readonly yahooSymbol: string;
  readonly currency: Currency;
}

/** B3: a four-character root starting with a letter and a one- or two-digit class (PETR4, BOVA11, B3SA3). */
const B3_TICKER = /^[A-Z][A-Z0-9]{3}\d{1,2}$/;
/** US: one to five letters, optionally a share class (AAPL, BRK.B). */
const US_TICKER = /^[A-Z]{1,5}(?:\.[A-Z])?$/;

export function normalizeTicker(raw: string): string {
  return raw.trim().toUpperCase();
}

export function isWellFormedTicker(raw: string): boolean {
  return listingOf(raw) !== undefined;
}

/** The listing for a ticker, or undefined when it is not a well-formed B3 or US ticker. */
export function listingOf(raw: string): Listing | undefined {
  const ticker = normalizeTicker(raw);
  if (B3_TICKER.test(ticker)) return { ticker, market: "B3", yahooSymbol: `${ticker}.SA`, currency: "BRL" };
  if (US_TICKER.test(ticker)) return { ticker, market: "US", yahooSymbol: ticker.replace(".", "-"), currency: "USD" };
  return undefined;
}
