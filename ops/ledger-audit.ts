/**
 * Replays a user's filled trades and checks the ledger invariants of
 * docs/data-model.md. Pure: values in, checks out; the DynamoDB reading lives
 * in ledger-source.ts.
 */
import { CURRENCIES, formatCents, proportionOfCents, type Cents, type Currency } from "../domain/money.ts";

export interface LedgerTrade {
  readonly orderId: string;
  readonly ticker: string;
  readonly side: "BUY" | "SELL";
  readonly quantity: number;
  /** quantity × price in cents, as the fill recorded it. */
  readonly amount: Cents;
  readonly currency: Currency;
  readonly executedAt: string;
}

export interface LedgerPosition {
  readonly ticker: string;
  readonly quantity: number;
  readonly costBasis: Cents;
}

/** What the users and transactions tables hold for one user. */
export interface LedgerSnapshot {
  readonly userId: string;
  /** Undefined when the profile has no `initialCash` (accounts seeded before it existed). */
  readonly initialCash: Readonly<Record<Currency, Cents>> | undefined;
  readonly cash: Readonly<Record<Currency, Cents>>;
  readonly tradeVersion: number;
  readonly positions: readonly LedgerPosition[];
  readonly trades: readonly LedgerTrade[];
  /** Orders whose status is FILLED but that have no TRADE item. */
  readonly filledWithoutTrade: readonly string[];
  /** Orders that have a TRADE item but are not FILLED. */
  readonly tradedButNotFilled: readonly string[];
}

export interface LedgerCheck {
  readonly name: string;
  readonly expected: string;
  readonly actual: string;
  readonly ok: boolean;
}

export interface LedgerAudit {
  readonly userId: string;
  readonly tradesReplayed: number;
  readonly checks: readonly LedgerCheck[];
  readonly ok: boolean;
}

interface Holding {
  quantity: number;
  costBasis: Cents;
}

const check = (name: string, expected: string, actual: string): LedgerCheck => ({ name, expected, actual, ok: expected === actual });
const money = (cents: Cents, currency: Currency) => `${formatCents(cents)} ${currency}`;

/** Fill order: the time each trade executed, then the order id so ties replay the same way every run. */
function byExecution(a: LedgerTrade, b: LedgerTrade): number {
  return a.executedAt < b.executedAt ? -1 : a.executedAt > b.executedAt ? 1 : a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0;
}

/**
 * Average cost: a buy adds its amount to the cost basis; a sale takes out
 * costBasis × sold / held rounded half-even to the cent, or all of it when
 * the position is sold out — the rule process-order applies.
 */
export function replayHoldings(trades: readonly LedgerTrade[]): Map<string, Holding> {
  const holdings = new Map<string, Holding>();
  for (const trade of [...trades].sort(byExecution)) {
    const holding = holdings.get(trade.ticker) ?? { quantity: 0, costBasis: 0 };
    if (trade.side === "BUY") {
      holding.quantity += trade.quantity;
      holding.costBasis += trade.amount;
    } else {
      const removed = trade.quantity >= holding.quantity ? holding.costBasis : proportionOfCents(holding.costBasis, trade.quantity, holding.quantity);
      holding.quantity -= trade.quantity;
      holding.costBasis -= removed;
    }
    holdings.set(trade.ticker, holding);
  }
  return holdings;
}

/** Cash per currency: initial − Σ buys + Σ sells. */
export function replayCash(initialCash: Readonly<Record<Currency, Cents>>, trades: readonly LedgerTrade[]): Record<Currency, Cents> {
  const cash = { ...initialCash };
  for (const trade of trades) cash[trade.currency] += trade.side === "BUY" ? -trade.amount : trade.amount;
  return cash;
}

export function auditLedger(snapshot: LedgerSnapshot): LedgerAudit {
  const checks: LedgerCheck[] = [];
  if (snapshot.initialCash === undefined) {
    checks.push({ name: "profile records initialCash", expected: "present", actual: "missing (cash cannot be replayed)", ok: false });
  } else {
    const expected = replayCash(snapshot.initialCash, snapshot.trades);
    for (const currency of CURRENCIES) {
      checks.push(check(`cash ${currency}`, money(expected[currency], currency), money(snapshot.cash[currency], currency)));
    }
  }

  const holdings = replayHoldings(snapshot.trades);
  const stored = new Map(snapshot.positions.map((position) => [position.ticker, position]));
  const tickers = [...new Set([...holdings.keys(), ...stored.keys()])].sort();
  for (const ticker of tickers) {
    const replayed = holdings.get(ticker) ?? { quantity: 0, costBasis: 0 };
    const actual = stored.get(ticker);
    checks.push(check(`position ${ticker} quantity`, String(replayed.quantity), actual ? String(actual.quantity) : "no position item"));
    checks.push(check(`position ${ticker} cost basis`, formatCents(replayed.costBasis), actual ? formatCents(actual.costBasis) : "no position item"));
  }

  checks.push(check("tradeVersion = number of trades", String(snapshot.trades.length), String(snapshot.tradeVersion)));
  for (const orderId of snapshot.filledWithoutTrade) {
    checks.push({ name: `order ${orderId} is FILLED`, expected: "a TRADE item", actual: "none", ok: false });
  }
  for (const orderId of snapshot.tradedButNotFilled) {
    checks.push({ name: `order ${orderId} has a TRADE`, expected: "status FILLED", actual: "another status", ok: false });
  }
  return { userId: snapshot.userId, tradesReplayed: snapshot.trades.length, checks, ok: checks.every((c) => c.ok) };
}
