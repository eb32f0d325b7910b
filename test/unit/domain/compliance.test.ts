import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { complianceThresholds, exceedsThreshold, executedOrderOf, InvalidThresholdError, largeOrderAlert, type ExecutedOrder } from "../../../domain/compliance.ts";
import { largeOrderDetailSchema } from "../../../domain/large-order-event.ts";
import { centsFromDecimal, multiplyToCents, priceFromDecimal } from "../../../domain/money.ts";
import { newOrder, type Order } from "../../../domain/order.ts";

const thresholds = complianceThresholds();

const executed = (amount: string, currency: "BRL" | "USD" = "BRL"): ExecutedOrder => ({
  orderId: "o-1", userId: "1", correlationId: "c-1", ticker: currency === "BRL" ? "PETR4" : "AAPL", side: "BUY", quantity: 1,
  currency, amount: centsFromDecimal(amount), executedAt: "2026-12-02T12:00:00.000Z",
});

describe("compliance thresholds", () => {
  test("default to 100,000.00 BRL and 20,000.00 USD, in cents", () => {
    assert.deepEqual(thresholds, { BRL: 10_000_000, USD: 2_000_000 });
  });

  test("the USD threshold is a setting; BRL keeps its default", () => {
    assert.deepEqual(complianceThresholds({ USD: "25000.50" }), { BRL: 10_000_000, USD: 2_500_050 });
  });

  test("a threshold that is not a positive amount of cents is refused, naming it", () => {
    assert.throws(() => complianceThresholds({ USD: "20k" }), { name: "InvalidThresholdError", message: /USD threshold .*"20k"/ });
    assert.throws(() => complianceThresholds({ USD: "0" }), InvalidThresholdError);
    assert.throws(() => complianceThresholds({ BRL: "-5.00" }), InvalidThresholdError);
    assert.throws(() => complianceThresholds({ BRL: "1.001" }), InvalidThresholdError);
  });
});

describe("exceedsThreshold", () => {
  test("is strictly greater: the threshold itself is not large, one cent more is", () => {
    assert.equal(exceedsThreshold(centsFromDecimal("100000.00"), "BRL", thresholds), false);
    assert.equal(exceedsThreshold(centsFromDecimal("100000.01"), "BRL", thresholds), true);
  });

  test("each currency has its own threshold", () => {
    const amount = centsFromDecimal("50000.00");
    assert.equal(exceedsThreshold(amount, "BRL", thresholds), false);
    assert.equal(exceedsThreshold(amount, "USD", thresholds), true);
  });

  test("the notional is compared as the fill rounds it, to the cent (half-even)", () => {
    assert.equal(exceedsThreshold(multiplyToCents(2_500, priceFromDecimal("40.00")), "BRL", thresholds), false, "2,500 × 40.00 = 100,000.00");
    assert.equal(exceedsThreshold(multiplyToCents(1, priceFromDecimal("100000.0050")), "BRL", thresholds), false, "half a cent rounds to even: 100,000.00");
    assert.equal(exceedsThreshold(multiplyToCents(1, priceFromDecimal("100000.0051")), "BRL", thresholds), true, "rounds up to 100,000.01");
  });
});

describe("largeOrderAlert", () => {
  test("an order above its threshold gives the event's detail, money as decimal strings", () => {
    const alert = largeOrderAlert(executed("123456.78"), thresholds);
    assert.deepEqual(alert, {
      orderId: "o-1", userId: "1", correlationId: "c-1", ticker: "PETR4", side: "BUY", quantity: 1, currency: "BRL",
      amount: "123456.78", threshold: "100000.00", executedAt: "2026-12-02T12:00:00.000Z",
    });
    assert.ok(largeOrderDetailSchema.safeParse(alert).success, "the detail satisfies the event's own schema");
  });

  test("an order within its threshold gives none", () => {
    assert.equal(largeOrderAlert(executed("99999.99"), thresholds), undefined);
    assert.equal(largeOrderAlert(executed("20000.00", "USD"), thresholds), undefined);
    assert.equal(largeOrderAlert(executed("20000.01", "USD"), thresholds)?.threshold, "20000.00");
  });
});

describe("executedOrderOf", () => {
  const accepted = newOrder({ userId: "1", ticker: "PETR4", quantity: 3000, side: "SELL" }, "BRL", { orderId: "o-9", correlationId: "c-9", now: "2026-12-02T12:00:00.000Z" });

  test("takes the notional, currency and time from the fill", () => {
    const filled: Order = {
      ...accepted, status: "FILLED",
      fill: { price: priceFromDecimal("40.55"), amount: 12_165_000, currency: "BRL", quoteSource: "simulated", quoteAsOf: "2026-12-02T12:00:01.000Z", executedAt: "2026-12-02T12:00:02.000Z" },
    };
    assert.deepEqual(executedOrderOf(filled), {
      orderId: "o-9", userId: "1", correlationId: "c-9", ticker: "PETR4", side: "SELL", quantity: 3000, currency: "BRL", amount: 12_165_000, executedAt: "2026-12-02T12:00:02.000Z",
    });
  });

  test("an order that did not fill is not screened", () => {
    assert.equal(executedOrderOf(accepted), undefined);
    assert.equal(executedOrderOf({ ...accepted, status: "REJECTED", reason: "INSUFFICIENT_FUNDS" }), undefined);
  });
});
