import type { Currency, PriceUnits } from "./money.ts";

/** "cache" marks a last-known quote served because the live source was unavailable. */
export type QuoteSource = "yahoo" | "simulated" | "cache";

export interface Quote {
  readonly ticker: string;
  readonly price: PriceUnits;
  readonly currency: Currency;
  /** ISO-8601 instant the price refers to. */
  readonly asOf: string;
  readonly source: QuoteSource;
}

/** Whether a cached quote is young enough to trade on. */
export function isFresh(quote: Quote, now: Date, maxAgeSeconds: number): boolean {
  const ageMs = now.getTime() - Date.parse(quote.asOf);
  return Number.isFinite(ageMs) && ageMs <= maxAgeSeconds * 1000;
}

export function asCached(quote: Quote): Quote {
  return { ...quote, source: "cache" };
}

/** The ticker is well formed but no market lists it: a permanent rejection, never retried. */
export class UnknownTickerError extends Error {
  override readonly name = "UnknownTickerError";
  constructor(readonly ticker: string) {
    super(`unknown ticker ${ticker}`);
  }
}
