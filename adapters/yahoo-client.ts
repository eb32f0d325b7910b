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
  /**
   * Aborts each HTTP request after this long. The library runs at most four requests
   * at a time and never cancels one, so without this a few hung requests would hold
   * up every later call long after Yahoo recovers.
   * @default no limit of ours
   */
  readonly requestTimeoutMs?: number;
}

/** A fetch that gives up after `timeoutMs`, keeping any signal the caller passed. */
function fetchWithTimeout(base: typeof fetch, timeoutMs: number): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return base(input, { ...init, signal });
  };
}

/**
 * The real yahoo-finance2 client, loaded on first use so that functions running
 * on the simulated market never pay for it at cold start.
 */
export function yahooFinanceQuote(options: YahooClientOptions = {}): YahooQuoteFunction {
  let client: Promise<{ quote(symbol: string): Promise<unknown> }> | undefined;
  const fetchFunction =
    options.requestTimeoutMs !== undefined ? fetchWithTimeout(options.fetch ?? globalThis.fetch, options.requestTimeoutMs) : options.fetch;
  return async (symbol) => {
    client ??= import("yahoo-finance2").then(
      ({ default: YahooFinance }) =>
        new YahooFinance({
          suppressNotices: ["yahooSurvey"],
          ...(fetchFunction ? { fetch: fetchFunction } : {}),
          ...(options.versionCheck !== undefined ? { versionCheck: options.versionCheck } : {}),
          ...(options.logger ? { logger: options.logger } : {}),
        }),
    );
    const result = await (await client).quote(symbol);
    return (Array.isArray(result) ? result[0] : result) as Awaited<ReturnType<YahooQuoteFunction>>;
  };
}
