/** Which order the i-th request places: a deterministic mix of buys and sells over the bench users. */

export interface OrderBody {
  readonly userId: string;
  readonly ticker: string;
  readonly quantity: number;
  readonly side: "BUY" | "SELL";
}

/** Tickers of the simulated market, in both currencies. */
export const BENCH_TICKERS = ["PETR4", "VALE3", "ITUB4", "AAPL", "MSFT"] as const;

export const benchUserId = (n: number): string => `bench-${n}`;

/** mulberry32, so two runs with the same seed place the same orders. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Users take turns (request i goes to user i mod N + 1). A sell is only placed for
 * shares an earlier buy of the same user asked for; the orders queue is FIFO per user,
 * so that buy is processed first, and a sell still rejected (the buy failed) is counted.
 */
export function orderMix(options: { users: number; sellRatio: number; seed?: number }): (index: number) => OrderBody {
  const random = seededRandom(options.seed ?? 1);
  const held = new Map<string, number>(); // `${user}|${ticker}` → shares asked for by buys, minus sells
  return (index) => {
    const userId = benchUserId((index % options.users) + 1);
    const ticker = BENCH_TICKERS[Math.floor(random() * BENCH_TICKERS.length)] ?? "PETR4";
    const quantity = 1 + Math.floor(random() * 10);
    const key = `${userId}|${ticker}`;
    const owned = held.get(key) ?? 0;
    if (random() < options.sellRatio && owned > 0) {
      const sold = Math.min(owned, quantity);
      held.set(key, owned - sold);
      return { userId, ticker, quantity: sold, side: "SELL" };
    }
    held.set(key, owned + quantity);
    return { userId, ticker, quantity, side: "BUY" };
  };
}
