import { priceFromFloat } from "../domain/money.ts";
import { UnknownTickerError, type Quote } from "../domain/quote.ts";
import { listingOf } from "../domain/tickers.ts";
import { PriceUnavailableError, type PriceSource } from "./ports.ts";

/** The fields of yahoo-finance2's `quote()` result this adapter reads. */
export interface YahooQuoteFields {
  readonly symbol?: string;
  readonly regularMarketPrice?: number;
  readonly currency?: string;
  readonly regularMarketTime?: Date | number | string;
}

/** One call to Yahoo for one symbol; injected so tests run without the internet. */
export type YahooQuoteFunction = (symbol: string) => Promise<YahooQuoteFields | undefined>;

function toIso(time: YahooQuoteFields["regularMarketTime"], fallback: Date): string {
  if (time instanceof Date) return time.toISOString();
  if (typeof time === "number") return new Date(time < 1e12 ? time * 1000 : time).toISOString();
  if (typeof time === "string" && !Number.isNaN(Date.parse(time))) return new Date(time).toISOString();
  return fallback.toISOString();
}

/** Yahoo Finance quotes: PETR4 is asked as PETR4.SA (BRL), AAPL as AAPL (USD). */
export class YahooPriceSource implements PriceSource {
  constructor(
    private readonly fetchQuote: YahooQuoteFunction,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async quote(ticker: string): Promise<Quote> {
    const listing = listingOf(ticker);
    if (!listing) throw new UnknownTickerError(ticker);
    let result: YahooQuoteFields | undefined;
    try {
      result = await this.fetchQuote(listing.yahooSymbol);
    } catch (error) {
      // yahoo-finance2 reports an unknown symbol as an error naming it; everything else is transient.
      if (error instanceof Error && /not found|no results|invalid symbol/i.test(error.message)) throw new UnknownTickerError(ticker);
      throw new PriceUnavailableError(`Yahoo quote for ${listing.yahooSymbol} failed`, { cause: error });
    }
    if (!result || typeof result.regularMarketPrice !== "number") throw new UnknownTickerError(ticker);
    if (result.currency && result.currency.toUpperCase() !== listing.currency) {
      throw new PriceUnavailableError(`Yahoo quoted ${listing.yahooSymbol} in ${result.currency}, expected ${listing.currency}`);
    }
    return {
      ticker: listing.ticker,
      price: priceFromFloat(result.regularMarketPrice),
      currency: listing.currency,
      asOf: toIso(result.regularMarketTime, this.clock()),
      source: "yahoo",
    };
  }
}
