import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { INITIAL_BREAKER, recordFailure, recordSuccess, requestPermission, type BreakerState } from "../../../domain/circuit-breaker.ts";

const config = { failureThreshold: 3, openMs: 1_000 };

function failTimes(state: BreakerState, times: number, now: number): BreakerState {
  let next = state;
  for (let i = 0; i < times; i++) next = recordFailure(next, now, config);
  return next;
}

describe("circuit breaker", () => {
  test("stays closed below the threshold and a success resets the count", () => {
    let state = failTimes(INITIAL_BREAKER, 2, 0);
    assert.deepEqual(state, { status: "CLOSED", failures: 2 });
    state = recordSuccess(state);
    assert.deepEqual(failTimes(state, 2, 0), { status: "CLOSED", failures: 2 });
  });

  test("opens at the threshold and refuses calls while open", () => {
    const open = failTimes(INITIAL_BREAKER, 3, 100);
    assert.deepEqual(open, { status: "OPEN", openedAt: 100 });
    assert.equal(requestPermission(open, 1_099, config).allowed, false);
  });

  test("after openMs one trial call is let through (half-open), others wait", () => {
    const open = failTimes(INITIAL_BREAKER, 3, 100);
    const trial = requestPermission(open, 1_100, config);
    assert.equal(trial.allowed, true);
    assert.equal(trial.state.status, "HALF_OPEN");
    assert.equal(requestPermission(trial.state, 1_200, config).allowed, false);
  });

  test("a successful trial closes it, a failed trial opens it again", () => {
    const trial = requestPermission(failTimes(INITIAL_BREAKER, 3, 0), 1_000, config).state;
    assert.deepEqual(recordSuccess(trial), INITIAL_BREAKER);
    const reopened = recordFailure(trial, 1_050, config);
    assert.deepEqual(reopened, { status: "OPEN", openedAt: 1_050 });
    assert.equal(requestPermission(reopened, 1_500, config).allowed, false);
  });
});
