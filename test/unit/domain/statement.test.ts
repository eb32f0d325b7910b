import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { dailyStatement, isStatementDay, utcDayOf, type StatementTrade } from "../../../domain/statement.ts";

const trade = (overrides: Partial<StatementTrade>): StatementTrade => ({
  ticker: "PETR4", currency: "BRL", side: "BUY", quantity: 10, amount: 40_550, executedAt: "2026-12-02T13:00:00.000Z", positionAfter: 10, ...overrides,
});

describe("daily statement", () => {
  test("totals bought and sold per ticker and currency, with the position after the day's last trade", () => {
    const entries = dailyStatement([
      trade({ side: "SELL", quantity: 4, amount: 16_400, executedAt: "2026-12-02T15:00:00.000Z", positionAfter: 16 }),
      trade({}),
      trade({ quantity: 10, amount: 41_000, executedAt: "2026-12-02T14:00:00.000Z", positionAfter: 20 }),
      trade({ ticker: "AAPL", currency: "USD", quantity: 1, amount: 23_015, positionAfter: 1 }),
    ]);
    assert.deepEqual(entries, [
      { ticker: "AAPL", currency: "USD", bought: { quantity: 1, amount: 23_015 }, sold: { quantity: 0, amount: 0 }, fees: 0, closingPosition: 1 },
      { ticker: "PETR4", currency: "BRL", bought: { quantity: 20, amount: 81_550 }, sold: { quantity: 4, amount: 16_400 }, fees: 0, closingPosition: 16 },
    ]);
  });

  test("no trades, no entries", () => {
    assert.deepEqual(dailyStatement([]), []);
  });

  test("a statement day is a real calendar day written YYYY-MM-DD", () => {
    for (const day of ["2026-12-02", "2024-02-29"]) assert.equal(isStatementDay(day), true, day);
    for (const day of ["2026-02-30", "2025-02-29", "2026-13-01", "2026-12-2", "20261202", "today", ""]) assert.equal(isStatementDay(day), false, day);
  });

  test("the UTC day of an instant", () => {
    assert.equal(utcDayOf("2026-12-02T23:59:59.999Z"), "2026-12-02");
    assert.equal(utcDayOf("2026-12-02T22:30:00.000-03:00"), "2026-12-03");
  });
});
