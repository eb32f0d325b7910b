import type { YahooQuoteFunction } from "./yahoo-price-source.ts";

/**
 * The real yahoo-finance2 client, loaded on first use so that functions running
 * on the simulated market never pay for it at cold start.
 */
export function yahooFinanceQuote(): YahooQuoteFunction {
  let client: Promise<{ quote(symbol: string): Promise<unknown> }> | undefined;
  return async (symbol) => {
    client ??= import("yahoo-finance2").then(({ default: YahooFinance }) => new YahooFinance({ suppressNotices: ["yahooSurvey"] }));
    const result = await (await client).quote(symbol);
    return (Array.isArray(result) ? result[0] : result) as Awaited<ReturnType<YahooQuoteFunction>>;
  };
}
