import { SimulatedMarket, SimulatedOutageError } from "../domain/simulated-market.ts";
import type { Quote } from "../domain/quote.ts";
import { PriceUnavailableError, type PriceSource } from "./ports.ts";

/** The simulated market as a price source; its outages are transient failures. */
export class SimulatedPriceSource implements PriceSource {
  constructor(
    private readonly market: SimulatedMarket,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async quote(ticker: string): Promise<Quote> {
    try {
      return this.market.quote(ticker, this.clock());
    } catch (error) {
      if (error instanceof SimulatedOutageError) throw new PriceUnavailableError(error.message, { cause: error });
      throw error;
    }
  }
}
