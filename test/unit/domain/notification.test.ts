import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { renderEmail, renderPush, type Notification } from "../../../domain/notification.ts";

const base: Notification = {
  orderId: "o-1", userId: "1", correlationId: "c-1", ticker: "PETR4", side: "BUY", quantity: 10, currency: "BRL",
  status: "FILLED", price: "40.55", amount: "405.50", quoteSource: "simulated",
  name: "Ana Souza", portfolioValue: { BRL: "405.50", USD: "0.00" }, valuedAt: "2026-03-02T17:00:00.000Z",
};

describe("notification texts", () => {
  test("a fill says what was bought, at what price, and the new portfolio value", () => {
    const push = renderPush(base);
    assert.equal(push.title, "Order filled");
    assert.equal(push.body, "Bought 10 PETR4 at BRL 40.55 (total BRL 405.50). Portfolio value: BRL 405.50, USD 0.00.");
    const email = renderEmail(base);
    assert.equal(email.subject, "Order filled: BUY 10 PETR4");
    assert.match(email.text, /^Hello Ana Souza,/);
  });

  test("a rejection gives the reason in words", () => {
    const rejected: Notification = { ...base, status: "REJECTED", reason: "INSUFFICIENT_FUNDS", side: "BUY" };
    assert.equal(renderPush(rejected).title, "Order rejected");
    assert.match(renderPush(rejected).body, /rejected: not enough cash/);
    assert.match(renderEmail({ ...rejected, side: "SELL", reason: "INSUFFICIENT_SHARES" }).text, /sell 10 PETR4 was rejected: not enough shares/);
  });
});
