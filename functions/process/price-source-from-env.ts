import { SimulatedMarket } from "../../domain/simulated-market.ts";
import type { PriceSource, QuoteStore } from "../../adapters/ports.ts";
import { ResilientPriceSource } from "../../adapters/resilient-price-source.ts";
import { SimulatedPriceSource } from "../../adapters/simulated-price-source.ts";
import { yahooFinanceQuote } from "../../adapters/yahoo-client.ts";
import { YahooPriceSource } from "../../adapters/yahoo-price-source.ts";
import { ENV } from "../shared/env-names.ts";
import { envOr, MissingEnvironmentError, numberEnvOr } from "../shared/env.ts";

/** Open after 3 failures in a row; try again after 30 s. */
const BREAKER = { failureThreshold: 3, openMs: 30_000 };

/** The longest one live price call may take, from the environment. */
export function priceTimeoutMsFromEnv(): number {
  return numberEnvOr(ENV.PRICE_TIMEOUT_MS, 3_000);
}

/** Builds the price source the environment asks for, wrapped in timeout, breaker and cache fallback. */
export function priceSourceFromEnv(cache: QuoteStore): PriceSource {
  const kind = envOr(ENV.PRICE_SOURCE, "simulated");
  const timeoutMs = priceTimeoutMsFromEnv();
  let live: PriceSource;
  if (kind === "yahoo") {
    // The request itself is aborted too, so hung calls cannot pile up inside the client.
    live = new YahooPriceSource(yahooFinanceQuote({ requestTimeoutMs: timeoutMs }));
  } else if (kind === "simulated") {
    const market = new SimulatedMarket({
      seed: envOr(ENV.SIMULATED_MARKET_SEED, "brokerage"),
      failureRate: numberEnvOr(ENV.SIMULATED_MARKET_FAILURE_RATE, 0),
    });
    live = new SimulatedPriceSource(market);
  } else {
    throw new MissingEnvironmentError(`environment variable ${ENV.PRICE_SOURCE} must be "simulated" or "yahoo", not "${kind}"`);
  }
  return new ResilientPriceSource(live, cache, {
    timeoutMs,
    maxQuoteAgeSeconds: numberEnvOr(ENV.QUOTE_MAX_AGE_SECONDS, 900),
    breaker: BREAKER,
  });
}
