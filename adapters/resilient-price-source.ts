import { INITIAL_BREAKER, recordFailure, recordSuccess, requestPermission, type BreakerConfig, type BreakerState } from "../domain/circuit-breaker.ts";
import { asCached, isFresh, UnknownTickerError, type Quote } from "../domain/quote.ts";
import { PriceDeadlineError, PriceUnavailableError, type PriceSource, type QuoteOptions, type QuoteStore } from "./ports.ts";

export interface ResilienceOptions {
  readonly timeoutMs: number;
  readonly maxQuoteAgeSeconds: number;
  readonly breaker: BreakerConfig;
  readonly clock?: () => Date;
}

export class PriceTimeoutError extends Error {
  override readonly name = "PriceTimeoutError";
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PriceTimeoutError(`no price within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Wraps a live price source with a timeout on every call and a circuit breaker.
 * While the breaker is open, or when the call fails, the last known quote is
 * served (marked source "cache") if it is younger than maxQuoteAgeSeconds.
 * The breaker lives as long as this object: one per warm Lambda instance.
 * A caller may allow a call less time than the timeout; a call cut short by
 * that is not held against the source, since the source may be healthy.
 */
export class ResilientPriceSource implements PriceSource {
  private breakerState: BreakerState = INITIAL_BREAKER;
  private readonly clock: () => Date;

  constructor(
    private readonly live: PriceSource,
    private readonly cache: QuoteStore,
    private readonly options: ResilienceOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  get breakerStatus(): BreakerState["status"] {
    return this.breakerState.status;
  }

  async quote(ticker: string, options: QuoteOptions = {}): Promise<Quote> {
    const limitMs = Math.min(this.options.timeoutMs, options.timeoutMs ?? Number.POSITIVE_INFINITY);
    const cutByCaller = limitMs < this.options.timeoutMs;
    let failure: unknown = new PriceDeadlineError(`no time left for a live price of ${ticker}`);
    // With no time for a call, the breaker is not asked: a trial it granted would go unused.
    if (limitMs > 0) {
      const permission = requestPermission(this.breakerState, this.clock().getTime(), this.options.breaker);
      this.breakerState = permission.state;
      failure = new PriceUnavailableError("circuit breaker is open");
      if (permission.allowed) {
        try {
          const quote = await withTimeout(this.live.quote(ticker), limitMs);
          this.breakerState = recordSuccess(this.breakerState);
          return quote;
        } catch (error) {
          // An unknown ticker is a correct answer from a healthy source.
          if (error instanceof UnknownTickerError) {
            this.breakerState = recordSuccess(this.breakerState);
            throw error;
          }
          if (cutByCaller && error instanceof PriceTimeoutError) {
            failure = new PriceDeadlineError(`no live price for ${ticker} within the ${limitMs} ms left`, { cause: error });
          } else {
            this.breakerState = recordFailure(this.breakerState, this.clock().getTime(), this.options.breaker);
            failure = error;
          }
        }
      }
    }
    const cached = await this.cache.latest(ticker);
    if (cached && isFresh(cached, this.clock(), this.options.maxQuoteAgeSeconds)) return asCached(cached);
    if (failure instanceof PriceDeadlineError) throw failure;
    throw new PriceUnavailableError(`no live price for ${ticker} and no cached quote younger than ${this.options.maxQuoteAgeSeconds} s`, { cause: failure });
  }
}
