import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { priceFromDecimal } from "../../../domain/money.ts";
import type { Quote } from "../../../domain/quote.ts";
import { valuePortfolio } from "../../../domain/valuation.ts";

const quotes = new Map<string, Quote>([
  ["PETR4", { ticker: "PETR4", price: priceFromDecimal("42.00"), currency: "BRL", asOf: "2026-01-02T13:00:00Z", source: "yahoo" }],
  ["AAPL", { ticker: "AAPL", price: priceFromDecimal("200.10"), currency: "USD", asOf: "2026-01-02T13:00:00Z", source: "cache" }],
]);

describe("valuation", () => {
  test("an empty portfolio is worth zero in every currency", () => {
    const { totals, positions } = valuePortfolio([], quotes);
    assert.deepEqual(positions, []);
    assert.deepEqual(totals.BRL, { marketValue: 0, costBasis: 0, unrealizedPnl: 0 });
    assert.deepEqual(totals.USD, { marketValue: 0, costBasis: 0, unrealizedPnl: 0 });
  });

  test("market value, cost basis and unrealized P&L per currency, never mixed", () => {
    const { totals, positions } = valuePortfolio(
      [
        { ticker: "PETR4", quantity: 10, costBasis: 40_550, currency: "BRL" },
        { ticker: "AAPL", quantity: 3, costBasis: 66_000, currency: "USD" },
        { ticker: "VALE3", quantity: 0, costBasis: 0, currency: "BRL" },
      ],
      quotes,
    );
    assert.deepEqual(totals.BRL, { marketValue: 42_000, costBasis: 40_550, unrealizedPnl: 1_450 });
    assert.deepEqual(totals.USD, { marketValue: 60_030, costBasis: 66_000, unrealizedPnl: -5_970 });
    assert.equal(positions.length, 2, "closed positions are not listed");
    assert.equal(positions[0]?.averageCost, priceFromDecimal("40.55"));
    assert.equal(positions[1]?.source, "cache");
  });

  test("a position without any quote is valued at cost", () => {
    const { totals, positions } = valuePortfolio([{ ticker: "ITUB4", quantity: 2, costBasis: 7_000, currency: "BRL" }], quotes);
    assert.equal(totals.BRL.marketValue, 7_000);
    assert.equal(positions[0]?.price, undefined);
  });
});
