import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { executeOrder } from "../../../domain/execution.ts";
import { centsFromDecimal, priceFromDecimal } from "../../../domain/money.ts";
import type { OrderRequest } from "../../../domain/order.ts";
import type { Quote } from "../../../domain/quote.ts";

const quote = (price: string, ticker = "PETR4"): Quote => ({ ticker, price: priceFromDecimal(price), currency: "BRL", asOf: "2026-01-02T13:00:00.000Z", source: "simulated" });
const order = (side: "BUY" | "SELL", quantity: number, ticker = "PETR4"): OrderRequest => ({ userId: "1", ticker, quantity, side });

describe("execution rules", () => {
  test("a BUY with enough cash fills and costs quantity × price exactly", () => {
    const result = executeOrder(order("BUY", 10), quote("40.55"), { cash: centsFromDecimal("405.50") });
    assert.deepEqual(result, { kind: "FILL", amount: 40_550, cashDelta: -40_550, quantityDelta: 10, costBasisDelta: 40_550 });
  });

  test("a BUY one cent short is INSUFFICIENT_FUNDS", () => {
    const result = executeOrder(order("BUY", 10), quote("40.55"), { cash: centsFromDecimal("405.49") });
    assert.equal(result.kind === "REJECT" && result.reason, "INSUFFICIENT_FUNDS");
  });

  test("a SELL without enough shares is INSUFFICIENT_SHARES", () => {
    const noPosition = executeOrder(order("SELL", 1), quote("40.55"), { cash: 0 });
    assert.equal(noPosition.kind === "REJECT" && noPosition.reason, "INSUFFICIENT_SHARES");
    const tooFew = executeOrder(order("SELL", 11), quote("40.55"), { cash: 0, position: { ticker: "PETR4", quantity: 10, costBasis: 40_000 } });
    assert.equal(tooFew.kind === "REJECT" && tooFew.reason, "INSUFFICIENT_SHARES");
  });

  test("a SELL credits the proceeds and removes cost at the average cost", () => {
    const position = { ticker: "PETR4", quantity: 3, costBasis: 10_000 };
    const result = executeOrder(order("SELL", 1), quote("40.00"), { cash: 0, position });
    assert.deepEqual(result, { kind: "FILL", amount: 4_000, cashDelta: 4_000, quantityDelta: -1, costBasisDelta: -3_333 });
    const all = executeOrder(order("SELL", 3), quote("40.00"), { cash: 0, position });
    assert.equal(all.kind === "FILL" && all.costBasisDelta, -10_000, "selling everything removes the whole cost basis");
  });

  test("a quote for another ticker is INVALID_ORDER", () => {
    const result = executeOrder(order("BUY", 1), quote("10.00", "VALE3"), { cash: 1_000_000 });
    assert.equal(result.kind === "REJECT" && result.reason, "INVALID_ORDER");
  });
});
