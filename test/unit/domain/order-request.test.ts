import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkOrderRequest } from "../../../domain/order-request.ts";

describe("order request validation", () => {
  test("a valid request, side defaulting to BUY and ticker normalized", () => {
    assert.deepEqual(checkOrderRequest({ userId: "1", ticker: "petr4", quantity: 10 }, "1"), {
      ok: true,
      request: { userId: "1", ticker: "PETR4", quantity: 10, side: "BUY" },
    });
    const sell = checkOrderRequest({ userId: "1", ticker: "AAPL", quantity: 1, side: "SELL" }, "1");
    assert.equal(sell.ok && sell.request.side, "SELL");
  });

  test("wrong types, missing and unknown fields are VALIDATION_FAILED with the issues", () => {
    for (const body of [
      { userId: 1, ticker: "PETR4", quantity: 10 },
      { userId: "1", quantity: 10 },
      { userId: "1", ticker: "PETR4", quantity: "10" },
      { userId: "1", ticker: "PETR4", quantity: 10, side: "HOLD" },
      { userId: "1", ticker: "PETR4", quantity: 10, price: 1 },
      [],
      null,
    ]) {
      const result = checkOrderRequest(body, "1");
      assert.equal(result.ok, false, JSON.stringify(body));
      if (!result.ok) {
        assert.equal(result.code, "VALIDATION_FAILED");
        assert.ok(Array.isArray(result.details) && result.details.length > 0);
      }
    }
  });

  test("quantity must be a positive whole number up to 1,000,000", () => {
    for (const quantity of [0, -1, 1.5, 1_000_001, 1e20]) {
      const result = checkOrderRequest({ userId: "1", ticker: "PETR4", quantity }, "1");
      assert.equal(result.ok ? "ok" : result.code, "INVALID_QUANTITY", String(quantity));
    }
    assert.equal(checkOrderRequest({ userId: "1", ticker: "PETR4", quantity: 1_000_000 }, "1").ok, true);
  });

  test("userId is optional and taken from the caller; another user's is FORBIDDEN", () => {
    assert.deepEqual(checkOrderRequest({ ticker: "PETR4", quantity: 10 }, "7"), {
      ok: true,
      request: { userId: "7", ticker: "PETR4", quantity: 10, side: "BUY" },
    });
    const other = checkOrderRequest({ userId: "2", ticker: "PETR4", quantity: 10 }, "1");
    assert.equal(other.ok ? "ok" : other.code, "FORBIDDEN");
  });

  test("a malformed ticker is INVALID_TICKER", () => {
    const result = checkOrderRequest({ userId: "1", ticker: "PETR-4", quantity: 1 }, "1");
    assert.equal(result.ok ? "ok" : result.code, "INVALID_TICKER");
  });
});
