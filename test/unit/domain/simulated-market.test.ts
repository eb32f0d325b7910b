import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { priceFromDecimal } from "../../../domain/money.ts";
import { UnknownTickerError } from "../../../domain/quote.ts";
import { SimulatedMarket, SimulatedOutageError, SIMULATED_TICKERS } from "../../../domain/simulated-market.ts";

const now = new Date("2026-03-02T14:30:00.000Z");

describe("simulated market", () => {
  test("the same seed gives the same prices; another seed other prices", () => {
    const a = new SimulatedMarket({ seed: "alpha" });
    const b = new SimulatedMarket({ seed: "alpha" });
    const c = new SimulatedMarket({ seed: "beta" });
    const pricesOf = (m: SimulatedMarket) => SIMULATED_TICKERS.map((t) => m.quote(t, now).price);
    assert.deepEqual(pricesOf(a), pricesOf(b));
    assert.notDeepEqual(pricesOf(a), pricesOf(c));
  });

  test("quotes are labelled simulated, in the ticker's currency, within 2 % of the reference, in whole cents", () => {
    const market = new SimulatedMarket({ seed: "alpha" });
    const petr = market.quote("PETR4", now);
    assert.equal(petr.source, "simulated");
    assert.equal(petr.currency, "BRL");
    assert.equal(petr.asOf, now.toISOString());
    assert.ok(Math.abs(petr.price - priceFromDecimal("40.55")) <= priceFromDecimal("40.55") * 0.02);
    assert.equal(petr.price % 100, 0);
    assert.equal(market.quote("AAPL", now).currency, "USD");
  });

  test("tickers outside the universe are unknown", () => {
    assert.throws(() => new SimulatedMarket({ seed: "x" }).quote("XPTO3", now), UnknownTickerError);
  });

  test("the failure rate is honoured, and the same way for the same seed", () => {
    const outcomes = (seed: string) => {
      const market = new SimulatedMarket({ seed, failureRate: 0.3 });
      return Array.from({ length: 1000 }, () => {
        try {
          market.quote("PETR4", now);
          return true;
        } catch (error) {
          assert.ok(error instanceof SimulatedOutageError);
          return false;
        }
      });
    };
    const first = outcomes("chaos");
    assert.deepEqual(first, outcomes("chaos"));
    const failures = first.filter((ok) => !ok).length;
    assert.ok(failures > 240 && failures < 360, `about 30 % failed: ${failures}`);
    assert.throws(() => new SimulatedMarket({ seed: "x", failureRate: 1 }).quote("PETR4", now), SimulatedOutageError);
  });
});
