import { priceFromDecimal, type PriceUnits } from "./money.ts";
import { listingOf } from "./tickers.ts";
import { UnknownTickerError, type Quote } from "./quote.ts";

/** Reference prices of the simulated universe; anything else is an unknown ticker. */
const REFERENCE_PRICES: Readonly<Record<string, string>> = {
  PETR4: "40.55", VALE3: "61.20", ITUB4: "34.80", BBDC4: "13.90", BBAS3: "27.45",
  ABEV3: "12.60", WEGE3: "52.30", BOVA11: "128.70", MGLU3: "9.85", B3SA3: "11.75",
  AAPL: "227.50", MSFT: "431.20", GOOGL: "176.40", AMZN: "198.30", NVDA: "124.90",
  TSLA: "248.10", META: "563.80",
};

export const SIMULATED_TICKERS: readonly string[] = Object.keys(REFERENCE_PRICES);


/** A failure the simulated market produces on purpose (chaos testing). */
export class SimulatedOutageError extends Error {
  override readonly name = "SimulatedOutageError";
}

/** 32-bit FNV-1a, to turn a seed and a name into a stable number. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** mulberry32: a tiny deterministic generator of floats in [0, 1). */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SimulatedMarketOptions {
  readonly seed: string;
  /** Share of calls that fail, 0..1. */
  readonly failureRate?: number;
  /** Prices move once per this many ms; within one window they are stable. Default 60 s. */
  readonly tickMs?: number;
}

/**
 * A deterministic, offline market: for one seed, one ticker and one time window
 * the price is always the same (within ±2 % of the reference price), and the
 * n-th call fails or not the same way every run. Its quotes say "simulated".
 */
export class SimulatedMarket {
  private readonly nextDraw: () => number;
  private readonly failureRate: number;
  private readonly tickMs: number;

  constructor(private readonly options: SimulatedMarketOptions) {
    this.nextDraw = generator(hash(`failures:${options.seed}`));
    this.failureRate = Math.min(1, Math.max(0, options.failureRate ?? 0));
    this.tickMs = options.tickMs ?? 60_000;
  }

  knows(ticker: string): boolean {
    return ticker in REFERENCE_PRICES;
  }

  priceAt(ticker: string, now: Date): PriceUnits {
    const reference = REFERENCE_PRICES[ticker];
    if (reference === undefined) throw new UnknownTickerError(ticker);
    const window = Math.floor(now.getTime() / this.tickMs);
    const draw = generator(hash(`${this.options.seed}:${ticker}:${window}`))();
    // Moves of whole cents so prices look like real ticks.
    const base = priceFromDecimal(reference);
    const moveCents = Math.round(((draw * 2 - 1) * 0.02 * base) / 100);
    return base + moveCents * 100;
  }

  quote(ticker: string, now: Date): Quote {
    const listing = listingOf(ticker);
    if (!listing || !this.knows(listing.ticker)) throw new UnknownTickerError(ticker);
    if (this.nextDraw() < this.failureRate) throw new SimulatedOutageError(`simulated market outage for ${ticker}`);
    return { ticker: listing.ticker, price: this.priceAt(listing.ticker, now), currency: listing.currency, asOf: now.toISOString(), source: "simulated" };
  }
}
