/**
 * A loopback stand-in for the Yahoo Finance endpoints yahoo-finance2's quote()
 * talks to: the quote page that hands out the session cookie, the crumb
 * endpoint, and /v7/finance/quote. `stub.fetch` sends any https://*.yahoo.com
 * URL here instead, so the real client runs unchanged against it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Node's own fetch, kept so the stub still reaches itself when a test puts `stub.fetch` in its place. */
const nodeFetch = globalThis.fetch;

/** The original Yahoo host travels in this header, since every request lands on one port. */
const HOST_HEADER = "x-yahoo-stub-host";

const SESSION_COOKIE = "A3";
const SESSION_VALUE = "d=AQABBOq3k2kCEJx7Ua4fT0Xqb9oQmZ2y&S=AQAAAmVxPq5t8bLwXz1N";
/** Has a slash and a dot, as real crumbs often do, so query-string encoding is exercised. */
export const STUB_CRUMB = "kQ3.vT8/aZu";

export interface StubRequest {
  readonly host: string;
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly cookie: string;
}

/** How /v7/finance/quote answers: normally, with a 500 page, or not at all until released. */
export type QuoteBehaviour = "answer" | "fail" | "hang";

/** A listing as the stub should describe it; everything else in the answer is filled in. */
export interface StubListing {
  readonly symbol: string;
  readonly price: number;
  readonly currency: string;
  /** Unix seconds, as Yahoo sends regularMarketTime. */
  readonly time: number;
  readonly exchange: "SAO" | "NMS" | "NYQ";
  readonly shortName: string;
}

const EXCHANGES = {
  SAO: { fullExchangeName: "São Paulo", market: "br_market", exchangeTimezoneName: "America/Sao_Paulo", exchangeTimezoneShortName: "BRT", gmtOffSetMilliseconds: -10_800_000, exchangeDataDelayedBy: 15, region: "BR" },
  NMS: { fullExchangeName: "NasdaqGS", market: "us_market", exchangeTimezoneName: "America/New_York", exchangeTimezoneShortName: "EST", gmtOffSetMilliseconds: -18_000_000, exchangeDataDelayedBy: 0, region: "US" },
  NYQ: { fullExchangeName: "NYSE", market: "us_market", exchangeTimezoneName: "America/New_York", exchangeTimezoneShortName: "EST", gmtOffSetMilliseconds: -18_000_000, exchangeDataDelayedBy: 0, region: "US" },
} as const;

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** An EQUITY entry of quoteResponse.result with the fields Yahoo sends for a listed stock. */
export function yahooEquity(listing: StubListing): Record<string, unknown> {
  const venue = EXCHANGES[listing.exchange];
  const previousClose = round2(listing.price * 0.99);
  const low = round2(listing.price * 0.985);
  const high = round2(listing.price * 1.012);
  return {
    language: "en-US",
    region: venue.region,
    quoteType: "EQUITY",
    typeDisp: "Equity",
    quoteSourceName: "Delayed Quote",
    triggerable: venue.region === "US",
    customPriceAlertConfidence: "HIGH",
    currency: listing.currency,
    financialCurrency: listing.currency,
    marketState: "REGULAR",
    exchange: listing.exchange,
    shortName: listing.shortName,
    longName: listing.shortName,
    messageBoardId: `finmb_${listing.symbol.toLowerCase()}`,
    exchangeTimezoneName: venue.exchangeTimezoneName,
    exchangeTimezoneShortName: venue.exchangeTimezoneShortName,
    gmtOffSetMilliseconds: venue.gmtOffSetMilliseconds,
    market: venue.market,
    esgPopulated: false,
    regularMarketPrice: listing.price,
    regularMarketTime: listing.time,
    regularMarketChange: round2(listing.price - previousClose),
    regularMarketChangePercent: ((listing.price - previousClose) / previousClose) * 100,
    regularMarketPreviousClose: previousClose,
    regularMarketOpen: previousClose,
    regularMarketDayHigh: high,
    regularMarketDayLow: low,
    regularMarketDayRange: `${low} - ${high}`,
    regularMarketVolume: 18_734_200,
    bid: round2(listing.price - 0.01),
    ask: round2(listing.price + 0.01),
    bidSize: 3,
    askSize: 4,
    fiftyTwoWeekLow: round2(listing.price * 0.8),
    fiftyTwoWeekHigh: round2(listing.price * 1.15),
    fiftyTwoWeekRange: `${round2(listing.price * 0.8)} - ${round2(listing.price * 1.15)}`,
    averageDailyVolume3Month: 21_004_512,
    averageDailyVolume10Day: 19_880_310,
    firstTradeDateMilliseconds: 946_900_800_000,
    priceHint: 2,
    sourceInterval: 15,
    exchangeDataDelayedBy: venue.exchangeDataDelayedBy,
    fullExchangeName: venue.fullExchangeName,
    tradeable: false,
    cryptoTradeable: false,
    hasPrePostMarketData: venue.region === "US",
    symbol: listing.symbol,
  };
}

export interface YahooStub {
  /** Routes https://*.yahoo.com requests to the stub; any other URL is refused. */
  readonly fetch: typeof fetch;
  /** Every request the stub received, oldest first. */
  readonly requests: readonly StubRequest[];
  quoteBehaviour: QuoteBehaviour;
  /** How long each answered quote request waits before it is answered, as a slow Yahoo does. */
  quoteDelayMs: number;
  /** The symbols= values of the quote requests received, oldest first. */
  quotedSymbols(): string[];
  /** Resolves once `count` quote requests are being held open. */
  waitForHanging(count: number): Promise<void>;
  /** Drops the connections of held quote requests, so their callers see a network error. */
  releaseHanging(): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

function financeError(code: string, description: string): string {
  return JSON.stringify({ finance: { result: null, error: { code, description } } });
}

/**
 * Starts the stub on 127.0.0.1 with an ephemeral port. `results` holds the
 * quoteResponse entries by Yahoo symbol; a symbol not in it is unknown to Yahoo
 * and simply left out of the answer, as Yahoo does.
 */
export async function startYahooStub(results: Readonly<Record<string, Record<string, unknown>>>): Promise<YahooStub> {
  const requests: StubRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const hangWaiters: Array<{ count: number; resolve: () => void }> = [];

  const hasSession = (req: IncomingMessage): boolean =>
    (req.headers.cookie ?? "").split(/;\s*/).includes(`${SESSION_COOKIE}=${SESSION_VALUE}`);

  const wakeHangWaiters = (): void => {
    for (const waiter of [...hangWaiters]) {
      if (hanging.size >= waiter.count) {
        hangWaiters.splice(hangWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://stub");
    const host = String(req.headers[HOST_HEADER] ?? "");
    const method = req.method ?? "GET";
    requests.push({ host, method, path: url.pathname, query: url.searchParams, cookie: req.headers.cookie ?? "" });

    if (host === "finance.yahoo.com" && url.pathname.startsWith("/quote/")) {
      // Outside the EU the quote page answers directly and sets the session cookie.
      send(res, 200, "text/html; charset=utf-8", "<!doctype html><html><head><title>Yahoo Finance</title></head><body></body></html>", {
        "set-cookie": `${SESSION_COOKIE}=${SESSION_VALUE}; Expires=Fri, 01 Jan 2100 00:00:00 GMT; Max-Age=31557600; Domain=.yahoo.com; Path=/; SameSite=None; Secure; HttpOnly`,
      });
      return;
    }
    if (/^query[12]\.finance\.yahoo\.com$/.test(host) && url.pathname === "/v1/test/getcrumb") {
      if (!hasSession(req)) return send(res, 401, "application/json;charset=utf-8", financeError("Unauthorized", "Invalid Cookie"));
      return send(res, 200, "text/plain;charset=utf-8", STUB_CRUMB);
    }
    if (/^query[12]\.finance\.yahoo\.com$/.test(host) && url.pathname === "/v7/finance/quote") {
      if (!hasSession(req) || url.searchParams.get("crumb") !== STUB_CRUMB) {
        return send(res, 401, "application/json;charset=utf-8", financeError("Unauthorized", "Invalid Crumb"));
      }
      if (stub.quoteBehaviour === "hang") {
        hanging.add(res);
        res.on("close", () => hanging.delete(res));
        wakeHangWaiters();
        return;
      }
      if (stub.quoteBehaviour === "fail") {
        // What the edge in front of the API answers when the backend is down: a status and a bare page.
        return send(res, 500, "text/html; charset=utf-8", "<html><body><b>Http/1.1 Service Unavailable</b></body></html>");
      }
      const symbols = (url.searchParams.get("symbols") ?? "").split(",").filter(Boolean);
      const found = symbols.flatMap((symbol) => (results[symbol] ? [results[symbol]] : []));
      const answer = () => send(res, 200, "application/json;charset=utf-8", JSON.stringify({ quoteResponse: { result: found, error: null } }));
      if (stub.quoteDelayMs > 0) setTimeout(() => res.destroyed || answer(), stub.quoteDelayMs);
      else answer();
      return;
    }
    send(res, 404, "text/plain", "Not Found");
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  const stubFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const target = new URL(input instanceof Request ? input.url : input);
    if (target.protocol !== "https:" || !/(^|\.)yahoo\.com$/.test(target.hostname)) {
      throw new TypeError(`the Yahoo stub does not serve ${target.origin}`);
    }
    const headers = new Headers(input instanceof Request ? input.headers : undefined);
    new Headers(init?.headers).forEach((value, name) => headers.set(name, value));
    headers.set(HOST_HEADER, target.hostname);
    return nodeFetch(`${origin}${target.pathname}${target.search}`, { ...init, headers });
  };

  const stub: YahooStub = {
    fetch: stubFetch,
    requests,
    quoteBehaviour: "answer",
    quoteDelayMs: 0,
    quotedSymbols: () => requests.filter((r) => r.path === "/v7/finance/quote").map((r) => r.query.get("symbols") ?? ""),
    waitForHanging: (count) =>
      new Promise<void>((resolve) => {
        hangWaiters.push({ count, resolve });
        wakeHangWaiters();
      }),
    releaseHanging: () => {
      for (const res of hanging) res.socket?.destroy();
      hanging.clear();
    },
    close: async () => {
      stub.releaseHanging();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
  return stub;
}
