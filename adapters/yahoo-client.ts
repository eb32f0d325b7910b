import type { YahooQuoteFunction } from "./yahoo-price-source.ts";

/** Where yahoo-finance2 writes its messages (the console unless given). */
export interface YahooClientLogger {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  dir(...args: unknown[]): void;
}

/**
 * What may be changed about the client. Production passes nothing and gets the
 * library's defaults: the global fetch, console logging and a version check.
 */
export interface YahooClientOptions {
  /** Makes every request of the client: the cookie page, the crumb and the quote itself. */
  readonly fetch?: typeof fetch;
  /** When an answer fails validation the library asks npm whether it is outdated; false skips that. */
  readonly versionCheck?: boolean;
  readonly logger?: YahooClientLogger;
}

/**
 * The real yahoo-finance2 client, loaded on first use so that functions running
 * on the simulated market never pay for it at cold start.
 */
export function yahooFinanceQuote(options: YahooClientOptions = {}): YahooQuoteFunction {
  let client: Promise<{ quote(symbol: string): Promise<unknown> }> | undefined;
  return async (symbol) => {
    client ??= import("yahoo-finance2").then(
      ({ default: YahooFinance }) =>
        new YahooFinance({
          suppressNotices: ["yahooSurvey"],
          ...(options.fetch ? { fetch: options.fetch } : {}),
          ...(options.versionCheck !== undefined ? { versionCheck: options.versionCheck } : {}),
          ...(options.logger ? { logger: options.logger } : {}),
        }),
    );
    const result = await (await client).quote(symbol);
    return (Array.isArray(result) ? result[0] : result) as Awaited<ReturnType<YahooQuoteFunction>>;
  };
}
