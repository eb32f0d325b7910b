import { PutCommand } from "@aws-sdk/lib-dynamodb";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { priceFromDecimal } from "../../domain/money.ts";
import { UnknownTickerError } from "../../domain/quote.ts";
import { DynamoQuoteStore } from "../../adapters/dynamo-quote-store.ts";
import { PriceDeadlineError, PriceUnavailableError } from "../../adapters/ports.ts";
import { ResilientPriceSource } from "../../adapters/resilient-price-source.ts";
import { YahooPriceSource, type YahooQuoteFunction } from "../../adapters/yahoo-price-source.ts";
import { startTestCloud, type TestCloud } from "./support/test-cloud.ts";

/** Yahoo is not reachable here: the adapter gets a stand-in for yahoo-finance2's quote(). */
describe("Yahoo price source with breaker and cache fallback", () => {
  let cloud: TestCloud;
  let cache: DynamoQuoteStore;
  const asked: string[] = [];
  let yahooDown = false;
  const fakeYahoo: YahooQuoteFunction = async (symbol) => {
    asked.push(symbol);
    if (yahooDown) throw new TypeError("fetch failed");
    if (symbol === "PETR4.SA") return { symbol, regularMarketPrice: 40.55, currency: "BRL", regularMarketTime: new Date("2026-03-02T17:00:00Z") };
    if (symbol === "AAPL") return { symbol, regularMarketPrice: 227.5, currency: "USD", regularMarketTime: 1_772_470_800 };
    return undefined;
  };

  before(async () => {
    cloud = await startTestCloud();
    cache = new DynamoQuoteStore(cloud.tables.quotes, cloud.db);
  });
  after(async () => cloud?.stop());

  test("maps B3 tickers to .SA and keeps currency and time", async () => {
    const yahoo = new YahooPriceSource(fakeYahoo);
    const petr = await yahoo.quote("PETR4");
    assert.deepEqual(petr, { ticker: "PETR4", price: priceFromDecimal("40.55"), currency: "BRL", asOf: "2026-03-02T17:00:00.000Z", source: "yahoo" });
    assert.equal((await yahoo.quote("AAPL")).asOf, new Date(1_772_470_800_000).toISOString());
    assert.deepEqual(asked.slice(0, 2), ["PETR4.SA", "AAPL"]);
    await assert.rejects(yahoo.quote("ZZZZ3"), UnknownTickerError);
  });

  test("a hanging call times out, opens the breaker after 3 failures, and the cache serves fresh quotes", async () => {
    let now = new Date("2026-03-02T17:00:10Z");
    const hanging: YahooQuoteFunction = () => new Promise(() => {});
    const source = new ResilientPriceSource(new YahooPriceSource(hanging), cache, {
      timeoutMs: 20,
      maxQuoteAgeSeconds: 60,
      breaker: { failureThreshold: 3, openMs: 30_000 },
      clock: () => now,
    });
    for (let i = 0; i < 3; i++) await assert.rejects(source.quote("PETR4"), PriceUnavailableError);
    assert.equal(source.breakerStatus, "OPEN");

    await cache.record({ ticker: "PETR4", price: priceFromDecimal("40.10"), currency: "BRL", asOf: "2026-03-02T17:00:00.000Z", source: "yahoo" });
    const cached = await source.quote("PETR4");
    assert.deepEqual([cached.source, cached.price], ["cache", priceFromDecimal("40.10")]);

    now = new Date("2026-03-02T17:05:00Z");
    await assert.rejects(source.quote("PETR4"), PriceUnavailableError, "a quote older than 60 s is not used");
  });

  test("a call cut short by the caller's deadline is not held against Yahoo, and a fresh cached quote still answers", async () => {
    const now = new Date("2026-03-02T17:30:00Z");
    let calls = 0;
    const hanging: YahooQuoteFunction = () => {
      calls++;
      return new Promise(() => {});
    };
    const source = new ResilientPriceSource(new YahooPriceSource(hanging), cache, {
      timeoutMs: 3_000,
      maxQuoteAgeSeconds: 60,
      breaker: { failureThreshold: 1, openMs: 30_000 },
      clock: () => now,
    });
    await assert.rejects(source.quote("BBAS3", { timeoutMs: 20 }), PriceDeadlineError);
    assert.equal(source.breakerStatus, "CLOSED", "one failure would have opened it");
    await assert.rejects(source.quote("BBAS3", { timeoutMs: 0 }), PriceDeadlineError);
    assert.equal(calls, 1, "no call is made when no time is left");

    await cache.record({ ticker: "BBAS3", price: priceFromDecimal("27.45"), currency: "BRL", asOf: "2026-03-02T17:29:50.000Z", source: "yahoo" });
    const cached = await source.quote("BBAS3", { timeoutMs: 20 });
    assert.deepEqual([cached.source, cached.price], ["cache", priceFromDecimal("27.45")]);
    assert.equal(source.breakerStatus, "CLOSED");
  });

  test("once Yahoo is back, the half-open trial closes the breaker", async () => {
    let now = new Date("2026-03-02T18:00:00Z");
    yahooDown = true;
    const source = new ResilientPriceSource(new YahooPriceSource(fakeYahoo), cache, {
      timeoutMs: 1_000,
      maxQuoteAgeSeconds: 60,
      breaker: { failureThreshold: 1, openMs: 10_000 },
      clock: () => now,
    });
    await assert.rejects(source.quote("AAPL"), PriceUnavailableError);
    assert.equal(source.breakerStatus, "OPEN");
    const callsWhileOpen = asked.length;
    await assert.rejects(source.quote("AAPL"));
    assert.equal(asked.length, callsWhileOpen, "no call to Yahoo while the breaker is open");
    yahooDown = false;
    now = new Date("2026-03-02T18:00:11Z");
    assert.equal((await source.quote("AAPL")).source, "yahoo");
    assert.equal(source.breakerStatus, "CLOSED");
  });

  test("recording a quote never moves LATEST back in time", async () => {
    await cache.record({ ticker: "VALE3", price: priceFromDecimal("61.00"), currency: "BRL", asOf: "2026-03-02T12:00:00.000Z", source: "yahoo" });
    await cache.record({ ticker: "VALE3", price: priceFromDecimal("60.00"), currency: "BRL", asOf: "2026-03-02T11:00:00.000Z", source: "yahoo" });
    assert.equal((await cache.latest("VALE3"))?.price, priceFromDecimal("61.00"));
    await cloud.db.send(new PutCommand({ TableName: cloud.tables.quotes, Item: { pk: "QUOTE#X", sk: "LATEST", price: "oops" } }));
    assert.equal(await cache.latest("X"), undefined, "an unreadable item is no quote");
  });
});
