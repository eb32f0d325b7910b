import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { priceFromDecimal } from "../../domain/money.ts";
import { UnknownTickerError, type Quote } from "../../domain/quote.ts";
import { PriceUnavailableError, type QuoteStore } from "../../adapters/ports.ts";
import { ResilientPriceSource } from "../../adapters/resilient-price-source.ts";
import { yahooFinanceQuote, type YahooClientLogger } from "../../adapters/yahoo-client.ts";
import { YahooPriceSource } from "../../adapters/yahoo-price-source.ts";
import { startYahooStub, STUB_CRUMB, yahooEquity, type YahooStub } from "../support/yahoo-stub.ts";

/** 2026-03-02 17:00:00 UTC, as Unix seconds. */
const MARKET_TIME = 1_772_470_800;
const MARKET_TIME_ISO = "2026-03-02T17:00:00.000Z";

/** Only the LATEST quote per ticker; enough for the fallback path. */
class MemoryQuoteStore implements QuoteStore {
  private readonly quotes = new Map<string, Quote>();
  async latest(ticker: string): Promise<Quote | undefined> {
    return this.quotes.get(ticker);
  }
  async latestMany(tickers: readonly string[]): Promise<Map<string, Quote>> {
    return new Map(tickers.flatMap((t) => (this.quotes.has(t) ? [[t, this.quotes.get(t)!] as const] : [])));
  }
  async record(quote: Quote): Promise<void> {
    this.quotes.set(quote.ticker, quote);
  }
  async recordLatest(quote: Quote): Promise<void> {
    this.quotes.set(quote.ticker, quote);
  }
  async recordHistory(): Promise<void> {}
}

/** The library's log lines, kept out of the test output and available to assertions. */
const logged: string[] = [];
const quietLogger: YahooClientLogger = {
  info: (...args) => logged.push(args.map(String).join(" ")),
  warn: (...args) => logged.push(args.map(String).join(" ")),
  error: (...args) => logged.push(args.map(String).join(" ")),
  debug: () => {},
  dir: (...args) => logged.push(JSON.stringify(args)),
};

/**
 * yahoo-finance2 keeps its cookie jar, crumb and request queue per process, not
 * per client: the handshake happens once, in the first test, and later tests
 * reuse that session, as a warm Lambda instance would.
 */
describe("Yahoo adapter through the real yahoo-finance2 client against a loopback Yahoo", () => {
  let stub: YahooStub;
  let yahoo: YahooPriceSource;

  before(async () => {
    stub = await startYahooStub({
      "PETR4.SA": yahooEquity({ symbol: "PETR4.SA", price: 40.55, currency: "BRL", time: MARKET_TIME, exchange: "SAO", shortName: "PETROBRAS   PN      N2" }),
      AAPL: yahooEquity({ symbol: "AAPL", price: 227.48, currency: "USD", time: MARKET_TIME, exchange: "NMS", shortName: "Apple Inc." }),
      "BRK-B": yahooEquity({ symbol: "BRK-B", price: 470.19, currency: "USD", time: MARKET_TIME, exchange: "NYQ", shortName: "Berkshire Hathaway Inc. New" }),
      // Listed on B3 but quoted in dollars: the adapter must not take it as reais.
      "ITUB4.SA": yahooEquity({ symbol: "ITUB4.SA", price: 6.41, currency: "USD", time: MARKET_TIME, exchange: "SAO", shortName: "ITAUUNIBANCO PN      N1" }),
      // An equity without the exchange fields yahoo-finance2 requires.
      "VALE3.SA": { quoteType: "EQUITY", symbol: "VALE3.SA", regularMarketPrice: 61.2, currency: "BRL", regularMarketTime: MARKET_TIME },
    });
    yahoo = new YahooPriceSource(yahooFinanceQuote({ fetch: stub.fetch, versionCheck: false, logger: quietLogger }));
  });
  after(async () => stub?.close());

  test("PETR4 is asked as PETR4.SA after the cookie and crumb handshake and comes back in BRL at the stub's price", async () => {
    const quote = await yahoo.quote("PETR4");
    assert.deepEqual(quote, { ticker: "PETR4", price: priceFromDecimal("40.55"), currency: "BRL", asOf: MARKET_TIME_ISO, source: "yahoo" });
    assert.equal(quote.price, 405_500);

    const [page, crumb, quoteCall, ...rest] = stub.requests;
    assert.equal(rest.length, 0, "three requests in all");
    assert.deepEqual([page?.host, page?.path], ["finance.yahoo.com", "/quote/AAPL"], "first the page that sets the session cookie");
    assert.equal(page?.cookie, "", "no cookie is sent before Yahoo hands one out");
    assert.deepEqual([crumb?.host, crumb?.path], ["query1.finance.yahoo.com", "/v1/test/getcrumb"]);
    assert.match(crumb?.cookie ?? "", /(^|; )A3=/, "the crumb is asked for with the session cookie");
    assert.deepEqual([quoteCall?.host, quoteCall?.path], ["query2.finance.yahoo.com", "/v7/finance/quote"]);
    assert.equal(quoteCall?.query.get("symbols"), "PETR4.SA");
    assert.equal(quoteCall?.query.get("crumb"), STUB_CRUMB, "the crumb survives query-string encoding");
    assert.match(quoteCall?.cookie ?? "", /(^|; )A3=/);
  });

  test("US tickers keep their symbol (a share class gets Yahoo's dash) and come back in USD; the crumb is reused", async () => {
    const before = stub.requests.length;
    const apple = await yahoo.quote("aapl");
    assert.deepEqual(apple, { ticker: "AAPL", price: priceFromDecimal("227.48"), currency: "USD", asOf: MARKET_TIME_ISO, source: "yahoo" });
    const berkshire = await yahoo.quote("BRK.B");
    assert.deepEqual([berkshire.ticker, berkshire.price, berkshire.currency], ["BRK.B", priceFromDecimal("470.19"), "USD"]);

    const made = stub.requests.slice(before);
    assert.deepEqual(made.map((r) => `${r.host}${r.path}?symbols=${r.query.get("symbols")}`), [
      "query2.finance.yahoo.com/v7/finance/quote?symbols=AAPL",
      "query2.finance.yahoo.com/v7/finance/quote?symbols=BRK-B",
    ], "no new cookie or crumb request while the session lasts");
  });

  test("a symbol Yahoo leaves out of its answer is an unknown ticker, and the breaker counts it as a healthy answer", async () => {
    await assert.rejects(yahoo.quote("ZZZZ3"), (error) => error instanceof UnknownTickerError && error.ticker === "ZZZZ3");
    assert.equal(stub.quotedSymbols().at(-1), "ZZZZ3.SA");

    const resilient = new ResilientPriceSource(yahoo, new MemoryQuoteStore(), {
      timeoutMs: 5_000,
      maxQuoteAgeSeconds: 60,
      breaker: { failureThreshold: 1, openMs: 30_000 },
    });
    await assert.rejects(resilient.quote("QQQQQ"), UnknownTickerError);
    assert.equal(stub.quotedSymbols().at(-1), "QQQQQ");
    assert.equal(resilient.breakerStatus, "CLOSED");
  });

  test("a quote that fails the client's validation, or comes in the wrong currency, is a price outage, not a price", async () => {
    const invalid = await yahoo.quote("VALE3").then(
      () => assert.fail("an invalid answer must not become a quote"),
      (error: unknown) => error,
    );
    assert.ok(invalid instanceof PriceUnavailableError);
    assert.equal((invalid.cause as Error | undefined)?.name, "FailedYahooValidationError");
    assert.ok(logged.some((line) => line.includes("did not validate")), "the client reported the validation failure");

    await assert.rejects(yahoo.quote("ITUB4"), (error) => error instanceof PriceUnavailableError && /in USD, expected BRL/.test(error.message));
    assert.deepEqual(stub.quotedSymbols().slice(-2), ["VALE3.SA", "ITUB4.SA"]);
  });

  test("a 500 from Yahoo fails the call; the resilient source serves a fresh cached quote and opens the breaker", async () => {
    stub.quoteBehaviour = "fail";
    try {
      const failed = await yahoo.quote("PETR4").then(
        () => assert.fail("a 500 must not become a quote"),
        (error: unknown) => error,
      );
      assert.ok(failed instanceof PriceUnavailableError);
      assert.match(failed.message, /PETR4\.SA/);
      const cause = failed.cause as (Error & { code?: number }) | undefined;
      assert.deepEqual([cause?.name, cause?.code], ["HTTPError", 500]);

      let now = new Date("2026-03-02T17:00:30Z");
      const cache = new MemoryQuoteStore();
      await cache.record({ ticker: "PETR4", price: priceFromDecimal("40.10"), currency: "BRL", asOf: MARKET_TIME_ISO, source: "yahoo" });
      const resilient = new ResilientPriceSource(yahoo, cache, {
        timeoutMs: 5_000,
        maxQuoteAgeSeconds: 60,
        breaker: { failureThreshold: 2, openMs: 30_000 },
        clock: () => now,
      });
      const first = await resilient.quote("PETR4");
      assert.deepEqual([first.source, first.price], ["cache", priceFromDecimal("40.10")]);
      assert.equal(resilient.breakerStatus, "CLOSED", "one failure is below the threshold");
      await resilient.quote("PETR4");
      assert.equal(resilient.breakerStatus, "OPEN");

      const asked = stub.quotedSymbols().length;
      assert.equal((await resilient.quote("PETR4")).source, "cache");
      assert.equal(stub.quotedSymbols().length, asked, "Yahoo is not called while the breaker is open");

      stub.quoteBehaviour = "answer";
      now = new Date("2026-03-02T17:01:01Z");
      const live = await resilient.quote("PETR4");
      assert.deepEqual([live.source, live.price], ["yahoo", priceFromDecimal("40.55")], "the half-open trial reaches Yahoo again");
      assert.equal(resilient.breakerStatus, "CLOSED");
    } finally {
      stub.quoteBehaviour = "answer";
    }
  });

  test("a Yahoo that never answers times out; with no cached quote the call fails and the breaker opens", async () => {
    stub.quoteBehaviour = "hang";
    try {
      const now = new Date("2026-03-02T17:10:00Z");
      const resilient = new ResilientPriceSource(yahoo, new MemoryQuoteStore(), {
        timeoutMs: 100,
        maxQuoteAgeSeconds: 60,
        breaker: { failureThreshold: 3, openMs: 30_000 },
        clock: () => now,
      });
      for (let attempt = 1; attempt <= 3; attempt++) {
        await assert.rejects(resilient.quote("AAPL"), (error) =>
          error instanceof PriceUnavailableError && (error.cause as Error | undefined)?.name === "PriceTimeoutError",
        );
      }
      assert.equal(resilient.breakerStatus, "OPEN");
      await stub.waitForHanging(3);
      assert.deepEqual(stub.quotedSymbols().slice(-3), ["AAPL", "AAPL", "AAPL"]);
      await assert.rejects(resilient.quote("AAPL"), (error) => error instanceof PriceUnavailableError && /no live price/.test(error.message));
    } finally {
      stub.quoteBehaviour = "answer";
      stub.releaseHanging();
    }
  });

  test("with a request timeout, hung requests are aborted and no longer hold up calls once Yahoo answers again", async () => {
    const bounded = new YahooPriceSource(yahooFinanceQuote({ fetch: stub.fetch, versionCheck: false, logger: quietLogger, requestTimeoutMs: 200 }));
    stub.quoteBehaviour = "hang";
    try {
      // More hung calls than the client runs at once (four).
      const hung = await Promise.allSettled(Array.from({ length: 6 }, () => bounded.quote("AAPL")));
      assert.ok(hung.every((outcome) => outcome.status === "rejected"), "every hung call fails");
      // Yahoo recovers, but the stub still holds the hung connections open.
      stub.quoteBehaviour = "answer";
      let guard: NodeJS.Timeout | undefined;
      const stuck = new Promise<never>((_, reject) => {
        guard = setTimeout(() => reject(new Error("the call waited behind hung requests")), 10_000);
      });
      const quote = await Promise.race([bounded.quote("PETR4"), stuck]).finally(() => clearTimeout(guard));
      assert.equal(quote.currency, "BRL");
      assert.equal(quote.price, 405_500);
    } finally {
      stub.quoteBehaviour = "answer";
      stub.releaseHanging();
    }
  });
});
