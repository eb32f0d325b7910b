import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { batchDeadline, FINISH_RESERVE_MS, NO_DEADLINE } from "../../../functions/process/batch-deadline.ts";

describe("a batch's deadline", () => {
  const cap = 3_000;

  test("takes another order only while a price call at its cap and the work after it still fit", () => {
    let remaining = 10_000;
    const deadline = batchDeadline(() => remaining, cap);
    assert.equal(deadline.allowsAnotherOrder(), true);
    remaining = cap + FINISH_RESERVE_MS;
    assert.equal(deadline.allowsAnotherOrder(), true, "exactly enough");
    remaining -= 1;
    assert.equal(deadline.allowsAnotherOrder(), false);
  });

  test("gives a price call its cap, or less when the invocation has less left", () => {
    let remaining = 10_000;
    const deadline = batchDeadline(() => remaining, cap);
    assert.equal(deadline.priceBudgetMs(), cap);
    remaining = FINISH_RESERVE_MS + 1_200;
    assert.equal(deadline.priceBudgetMs(), 1_200);
    remaining = FINISH_RESERVE_MS - 300;
    assert.ok(deadline.priceBudgetMs() <= 0, "no time for a call at all");
  });

  test("without a deadline every order is taken at the source's own cap", () => {
    assert.equal(NO_DEADLINE.allowsAnotherOrder(), true);
    assert.equal(NO_DEADLINE.priceBudgetMs(), Number.POSITIVE_INFINITY);
  });
});
