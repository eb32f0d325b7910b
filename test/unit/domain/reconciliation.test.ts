import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { newOrder, type Order } from "../../../domain/order.ts";
import { attentionCutoff, reconciliationActionFor } from "../../../domain/reconciliation.ts";

const now = new Date("2026-03-02T12:00:00.000Z");
const policy = { graceMs: 120_000, maxRequeues: 3 };
const at = (minutesBefore: number) => new Date(now.getTime() - minutesBefore * 60_000).toISOString();
const accepted = (createdMinutesAgo: number, extra: Partial<Order> = {}): Order => ({
  ...newOrder({ userId: "1", ticker: "PETR4", quantity: 1, side: "BUY" }, "BRL", { orderId: "o-1", correlationId: "c-1", now: at(createdMinutesAgo) }),
  ...extra,
});

describe("reconciliation", () => {
  test("the cutoff is the grace period before now", () => {
    assert.equal(attentionCutoff(now, 120_000), "2026-03-02T11:58:00.000Z");
  });

  test("an ACCEPTED order is re-queued only once older than the grace period", () => {
    assert.equal(reconciliationActionFor(accepted(1), now, policy), "WAIT");
    assert.equal(reconciliationActionFor(accepted(3), now, policy), "REQUEUE");
  });

  test("a re-queued order gets a new grace period, and after the last re-queue it is given up", () => {
    assert.equal(reconciliationActionFor(accepted(10, { requeueCount: 1, requeuedAt: at(1) }), now, policy), "WAIT");
    assert.equal(reconciliationActionFor(accepted(10, { requeueCount: 2, requeuedAt: at(3) }), now, policy), "REQUEUE");
    assert.equal(reconciliationActionFor(accepted(10, { requeueCount: 3, requeuedAt: at(3) }), now, policy), "GIVE_UP");
  });

  test("a final order never notified is consolidated again once its last step is older than the grace period", () => {
    const filled = accepted(10, { status: "FILLED", updatedAt: at(5) });
    assert.equal(reconciliationActionFor(filled, now, policy), "RENOTIFY");
    assert.equal(reconciliationActionFor({ ...filled, updatedAt: at(1) }, now, policy), "WAIT", "consolidation may still be running");
    assert.equal(reconciliationActionFor({ ...filled, status: "REJECTED", reason: "INSUFFICIENT_FUNDS" }, now, policy), "RENOTIFY");
    assert.equal(reconciliationActionFor({ ...filled, notifiedAt: at(4) }, now, policy), "WAIT");
  });
});
