import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { auditLedger, replayHoldings, type LedgerSnapshot, type LedgerTrade } from "../../../ops/ledger-audit.ts";

const trade = (overrides: Partial<LedgerTrade> & Pick<LedgerTrade, "orderId" | "side" | "quantity" | "amount">): LedgerTrade => ({
  ticker: "PETR4",
  currency: "BRL",
  executedAt: `2026-01-02T13:00:0${overrides.orderId.slice(-1)}.000Z`,
  ...overrides,
});

// Buys 3 PETR4 for 100.00, sells 1 for 40.00 (cost taken out: 33.33), buys 2 AAPL for 300.00 USD.
const trades: LedgerTrade[] = [
  trade({ orderId: "o1", side: "BUY", quantity: 3, amount: 10_000 }),
  trade({ orderId: "o2", side: "SELL", quantity: 1, amount: 4_000 }),
  trade({ orderId: "o3", side: "BUY", quantity: 2, amount: 30_000, ticker: "AAPL", currency: "USD" }),
];

/** A consistent ledger: what process-order leaves behind after these trades. */
const snapshot = (overrides: Partial<LedgerSnapshot> = {}): LedgerSnapshot => ({
  userId: "1",
  initialCash: { BRL: 1_000_000, USD: 500_000 },
  cash: { BRL: 1_000_000 - 10_000 + 4_000, USD: 500_000 - 30_000 },
  tradeVersion: 3,
  positions: [
    { ticker: "PETR4", quantity: 2, costBasis: 6_667 },
    { ticker: "AAPL", quantity: 2, costBasis: 30_000 },
  ],
  trades,
  filledWithoutTrade: [],
  tradedButNotFilled: [],
  ...overrides,
});

const differences = (s: LedgerSnapshot) => auditLedger(s).checks.filter((c) => !c.ok);

describe("ledger audit", () => {
  test("a ledger that matches its trades passes every check", () => {
    const audit = auditLedger(snapshot());
    assert.equal(audit.ok, true, JSON.stringify(audit.checks, null, 2));
    assert.equal(audit.tradesReplayed, 3);
    assert.deepEqual(
      audit.checks.map((c) => c.name),
      ["cash BRL", "cash USD", "position AAPL quantity", "position AAPL cost basis", "position PETR4 quantity", "position PETR4 cost basis", "tradeVersion = number of trades"],
    );
  });

  test("a balance tampered with by one cent is reported with expected and actual", () => {
    const tampered = snapshot({ cash: { BRL: 1_000_000 - 10_000 + 4_000 + 1, USD: 470_000 } });
    assert.deepEqual(differences(tampered), [{ name: "cash BRL", expected: "9940.00 BRL", actual: "9940.01 BRL", ok: false }]);
  });

  test("a position whose quantity or cost basis drifted is reported", () => {
    const drifted = snapshot({ positions: [{ ticker: "PETR4", quantity: 3, costBasis: 6_666 }, { ticker: "AAPL", quantity: 2, costBasis: 30_000 }] });
    assert.deepEqual(
      differences(drifted).map((c) => [c.name, c.expected, c.actual]),
      [
        ["position PETR4 quantity", "2", "3"],
        ["position PETR4 cost basis", "66.67", "66.66"],
      ],
    );
  });

  test("a trade with no position item, and a position with no trades, are both differences", () => {
    const missing = snapshot({ positions: [{ ticker: "PETR4", quantity: 2, costBasis: 6_667 }, { ticker: "VALE3", quantity: 5, costBasis: 100 }] });
    assert.deepEqual(
      differences(missing).map((c) => [c.name, c.expected, c.actual]),
      [
        ["position AAPL quantity", "2", "no position item"],
        ["position AAPL cost basis", "300.00", "no position item"],
        ["position VALE3 quantity", "0", "5"],
        ["position VALE3 cost basis", "0.00", "1.00"],
      ],
    );
  });

  test("a profile without initialCash is a finding, and the rest is still checked", () => {
    const audit = auditLedger(snapshot({ initialCash: undefined }));
    assert.equal(audit.ok, false);
    assert.deepEqual(audit.checks.filter((c) => !c.ok).map((c) => c.name), ["profile records initialCash"]);
    assert.ok(audit.checks.some((c) => c.name === "position PETR4 quantity" && c.ok));
  });

  test("a tradeVersion that does not count the fills, and orders without their trade, are reported", () => {
    const audit = auditLedger(snapshot({ tradeVersion: 4, filledWithoutTrade: ["o9"], tradedButNotFilled: ["o8"] }));
    assert.deepEqual(audit.checks.filter((c) => !c.ok).map((c) => c.name), ["tradeVersion = number of trades", "order o9 is FILLED", "order o8 has a TRADE"]);
  });

  test("holdings are replayed in execution order whatever order the trades are read in", () => {
    const reversed = replayHoldings([...trades].reverse());
    assert.deepEqual(reversed.get("PETR4"), { quantity: 2, costBasis: 6_667 });
  });

  test("selling out a position takes its whole cost basis, leaving no rounding rest", () => {
    const holdings = replayHoldings([
      trade({ orderId: "o1", side: "BUY", quantity: 3, amount: 10_000 }),
      trade({ orderId: "o2", side: "SELL", quantity: 1, amount: 4_000 }),
      trade({ orderId: "o3", side: "SELL", quantity: 2, amount: 8_000 }),
    ]);
    assert.deepEqual(holdings.get("PETR4"), { quantity: 0, costBasis: 0 });
  });
});
