import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { auditEventTrails, trailProblem, type OrderTrail } from "../../../ops/event-trail-audit.ts";

const trail = (overrides: Partial<OrderTrail>): OrderTrail => ({ orderId: "o1", status: "FILLED", notified: true, events: ["accepted", "filled"], ...overrides });

describe("event-trail audit", () => {
  test("complete trails: accepted then the final event matching the status", () => {
    assert.equal(trailProblem(trail({})), undefined);
    assert.equal(trailProblem(trail({ status: "REJECTED", events: ["accepted", "rejected"] })), undefined);
    assert.equal(trailProblem(trail({ status: "ACCEPTED", notified: false, events: [] })), undefined, "still open: its events go out once it is final");
    assert.equal(trailProblem(trail({ status: "ACCEPTED", notified: false, events: ["accepted"] })), undefined, "still open, recorded when accepted events went out at once");
    assert.equal(trailProblem(trail({ notified: false, events: [] })), undefined, "final, its events still on their way");
    assert.equal(trailProblem(trail({ notified: false, events: ["accepted"] })), undefined, "final, one event arrived before the other");
    assert.equal(trailProblem(trail({ status: "REJECTED", reason: "ENQUEUE_FAILED", notified: false, events: [] })), undefined, "refused at once: nothing published");
  });

  test("each way a trail can be wrong is named", () => {
    assert.equal(trailProblem(trail({ events: ["filled"] })), "missing: accepted");
    assert.equal(trailProblem(trail({ events: ["accepted"] })), "missing: filled");
    assert.equal(trailProblem(trail({ events: ["accepted", "rejected"] })), "unexpected for FILLED: rejected");
    assert.equal(trailProblem(trail({ events: ["accepted", "filled", "rejected"] })), "unexpected for FILLED: rejected");
    assert.equal(trailProblem(trail({ events: ["accepted", "filled", "filled"] })), "doubled: filled");
    assert.equal(trailProblem(trail({ status: "ACCEPTED", notified: false, events: ["accepted", "filled"] })), "unexpected for ACCEPTED: filled");
  });

  test("one summary check, and a failed check per incomplete order", () => {
    const checks = auditEventTrails([trail({}), trail({ orderId: "o2", events: ["filled"] })]);
    assert.deepEqual(checks, [
      { name: "orders whose event trail matches their state", expected: "2", actual: "1", ok: false },
      { name: "order o2 events (FILLED)", expected: "accepted, filled", actual: "filled — missing: accepted", ok: false },
    ]);
    assert.deepEqual(auditEventTrails([trail({})]).map((c) => c.ok), [true]);
  });
});
