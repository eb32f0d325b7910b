import type { OrderBody } from "./client.ts";

export const CHAOS_TICKERS = ["PETR4", "VALE3", "ITUB4", "AAPL", "MSFT"] as const;
export const chaosUserId = (n: number): string => `chaos-${n}`;

/** mulberry32: the same seed gives the same orders, so runs can be compared. */
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
 * Users take turns; about a third of the orders sell. A sell usually sells what
 * earlier buys asked for, but sometimes asks for more, so INSUFFICIENT_SHARES is
 * exercised too (and a buy that was rejected makes a later sell fail the same way).
 */
export function orderPlan(options: { users: number; seed: number }): (index: number) => OrderBody {
  const random = seededRandom(options.seed);
  const asked = new Map<string, number>();
  return (index) => {
    const userId = chaosUserId((index % options.users) + 1);
    const ticker = CHAOS_TICKERS[Math.floor(random() * CHAOS_TICKERS.length)] ?? "PETR4";
    const quantity = 1 + Math.floor(random() * 20);
    const key = `${userId}|${ticker}`;
    const owned = asked.get(key) ?? 0;
    if (random() < 0.35) {
      const oversell = random() < 0.1;
      const sold = oversell ? owned + quantity : Math.max(1, Math.min(owned, quantity));
      asked.set(key, Math.max(0, owned - sold));
      return { userId, ticker, quantity: sold, side: "SELL" };
    }
    asked.set(key, owned + quantity);
    return { userId, ticker, quantity, side: "BUY" };
  };
}
