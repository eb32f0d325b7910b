import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_SAMPLING_RULE, InvalidSamplingRuleError, TRACE_EVERY_REQUEST, TraceSampler } from "../../../../localcloud/xray/trace-sampler.ts";

/** A clock the test moves, and draws it hands out in turn. */
function fixture(draws: number[]) {
  let now = 1_700_000_000_000;
  let next = 0;
  return {
    advance: (ms: number) => void (now += ms),
    sampler: (rule = DEFAULT_SAMPLING_RULE) => new TraceSampler(rule, () => draws[next++ % draws.length] ?? 0, () => now),
  };
}

describe("X-Ray sampling on the local cloud", () => {
  it("traces the first request of each second, then the fixed rate's share of the rest", () => {
    // Draws below 0.05 fall in the default rule's 5 %.
    const { sampler, advance } = fixture([0.5, 0.01, 0.9, 0.2]);
    const rule = sampler();
    const firstSecond = [1, 2, 3, 4, 5].map(() => rule.sample("validate-order"));
    assert.deepEqual(firstSecond, [true, false, true, false, false]);
    advance(1000);
    assert.equal(rule.sample("validate-order"), true, "a new second refills the reservoir");
  });

  it("keeps a reservoir per entry point", () => {
    const { sampler } = fixture([0.99]);
    const rule = sampler();
    assert.equal(rule.sample("api/prod"), true);
    assert.equal(rule.sample("process-order"), true);
    assert.equal(rule.sample("api/prod"), false);
    assert.equal(rule.sample("process-order"), false);
  });

  it("traces every request with TRACE_EVERY_REQUEST", () => {
    const { sampler } = fixture([0.999999]);
    const rule = sampler(TRACE_EVERY_REQUEST);
    assert.ok(Array.from({ length: 50 }, () => rule.sample("fn")).every(Boolean));
  });

  it("refuses a rule outside what X-Ray accepts", () => {
    assert.throws(() => new TraceSampler({ reservoirPerSecond: 1, fixedRate: 1.5 }), InvalidSamplingRuleError);
    assert.throws(() => new TraceSampler({ reservoirPerSecond: -1, fixedRate: 0.05 }), InvalidSamplingRuleError);
  });
});
