import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { p99PerSecond, percentileOfSorted, perSecond, summarize } from "../../../bench/stats.ts";

describe("percentiles", () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

  test("nearest rank: p50 of 1..100 is 50, p95 is 95, p99 is 99, p100 is 100", () => {
    assert.equal(percentileOfSorted(oneToHundred, 50), 50);
    assert.equal(percentileOfSorted(oneToHundred, 95), 95);
    assert.equal(percentileOfSorted(oneToHundred, 99), 99);
    assert.equal(percentileOfSorted(oneToHundred, 100), 100);
  });

  test("a percentile is always a value that was observed", () => {
    assert.equal(percentileOfSorted([10, 20, 30], 50), 20);
    assert.equal(percentileOfSorted([10, 20, 30], 99), 30);
    assert.equal(percentileOfSorted([7], 1), 7);
  });

  test("empty input gives NaN; a percentile outside (0, 100] is refused", () => {
    assert.ok(Number.isNaN(percentileOfSorted([], 50)));
    assert.throws(() => percentileOfSorted([1], 0), RangeError);
    assert.throws(() => percentileOfSorted([1], 101), RangeError);
  });

  test("summarize sorts its input and reports count, max and mean", () => {
    const s = summarize([5, 1, 4, 2, 3]);
    assert.deepEqual({ count: s.count, p50: s.p50, max: s.max, mean: s.mean }, { count: 5, p50: 3, max: 5, mean: 3 });
  });
});

describe("per-second series", () => {
  test("counts events into whole seconds from the origin and ignores those past the end", () => {
    assert.deepEqual(perSecond([1000, 1500, 2999, 3000, 9000], 1000, 3), [2, 1, 1]);
  });

  test("p99 per second is NaN for a second without samples", () => {
    const series = p99PerSecond([{ atMs: 100, value: 5 }, { atMs: 2100, value: 9 }], 0, 3);
    assert.equal(series[0], 5);
    assert.ok(Number.isNaN(series[1] ?? 0));
    assert.equal(series[2], 9);
  });
});
