import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ORDER_RETRY_BACKOFF, retryDelaySeconds } from "../../../domain/retry-backoff.ts";

describe("retry backoff", () => {
  test("doubles from 30 s with each receive of an order message", () => {
    assert.deepEqual([1, 2, 3, 4].map((receive) => retryDelaySeconds(receive)), [30, 60, 120, 240]);
  });

  test("never waits longer than the cap", () => {
    assert.equal(retryDelaySeconds(5), ORDER_RETRY_BACKOFF.maxSeconds);
    assert.equal(retryDelaySeconds(1_000), ORDER_RETRY_BACKOFF.maxSeconds);
  });

  test("a missing or nonsensical receive count counts as the first receive", () => {
    assert.equal(retryDelaySeconds(Number.NaN), 30);
    assert.equal(retryDelaySeconds(0), 30);
    assert.equal(retryDelaySeconds(-3), 30);
  });

  test("stays within SQS's 12-hour visibility limit whatever the policy", () => {
    assert.equal(retryDelaySeconds(40, { baseSeconds: 60, maxSeconds: 100_000 }), 43_200);
  });
});
