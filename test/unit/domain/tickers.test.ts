import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isWellFormedTicker, listingOf } from "../../../domain/tickers.ts";

describe("ticker → Yahoo symbol", () => {
  test("B3 tickers get .SA and trade in BRL", () => {
    for (const ticker of ["PETR4", "VALE3", "ITUB4", "BOVA11"]) {
      assert.deepEqual(listingOf(ticker), { ticker, market: "B3", yahooSymbol: `${ticker}.SA`, currency: "BRL" });
    }
  });

  test("US tickers are their own symbol and trade in USD", () => {
    assert.deepEqual(listingOf("AAPL"), { ticker: "AAPL", market: "US", yahooSymbol: "AAPL", currency: "USD" });
    assert.equal(listingOf("MSFT")?.currency, "USD");
    assert.equal(listingOf("BRK.B")?.yahooSymbol, "BRK-B");
    assert.equal(listingOf("PETR")?.market, "US", "four letters without a class digit is a US ticker");
  });

  test("case and surrounding spaces are forgiven", () => {
    assert.equal(listingOf(" petr4 ")?.ticker, "PETR4");
  });

  test("malformed tickers have no listing", () => {
    for (const bad of ["", "PETR444", "4ETR4", "APPLEX", "12345", "PE-TR4", "AAPL.SA", "PETR4; DROP"]) {
      assert.equal(isWellFormedTicker(bad), false, bad);
    }
  });
});
