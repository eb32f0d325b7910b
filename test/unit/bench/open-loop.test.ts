import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { plannedCount, runOpenLoop, type Clock } from "../../../bench/open-loop.ts";

/** A clock that only moves when the scheduler sleeps: no real time passes in these tests. */
function fakeClock(start = 1000): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleepUntil: async (ms) => {
      sleeps.push(ms);
      now = Math.max(now, ms);
    },
  };
}

const never = <T>(): Promise<T> => new Promise<T>(() => {});

describe("open-loop scheduler", () => {
  test("request i is scheduled and sent at start + i / rate even though no answer ever comes", async () => {
    const clock = fakeClock();
    const sentAt: number[] = [];
    const run = await runOpenLoop({ rate: 50, durationSeconds: 2, concurrencyCap: 1000, clock }, () => {
      sentAt.push(clock.now());
      return never<string>();
    });
    assert.equal(run.attempts.length, 100);
    assert.equal(sentAt.length, 100);
    run.attempts.forEach((a, i) => {
      assert.equal(a.scheduledMs, 1000 + i * 20);
      assert.equal(a.sentMs, a.scheduledMs);
      assert.equal(a.dropped, false);
      assert.equal(a.doneMs, undefined);
    });
  });

  test("a late wake-up sends everything that fell due at once, so the count does not shrink", async () => {
    let now = 0;
    // This clock oversleeps by 55 ms every time, like a busy event loop would.
    const clock: Clock = { now: () => now, sleepUntil: async (ms) => void (now = ms + 55) };
    const run = await runOpenLoop({ rate: 100, durationSeconds: 1, concurrencyCap: 1000, clock }, () => never<void>());
    assert.equal(run.attempts.length, 100);
    assert.deepEqual(
      run.attempts.map((a) => a.scheduledMs),
      Array.from({ length: 100 }, (_, i) => i * 10),
    );
    assert.ok(run.attempts.every((a) => (a.sentMs ?? -1) >= a.scheduledMs));
  });

  test("requests due while the cap is reached are dropped and recorded, not delayed", async () => {
    const clock = fakeClock(0);
    let calls = 0;
    const run = await runOpenLoop({ rate: 10, durationSeconds: 1, concurrencyCap: 3, clock }, () => {
      calls++;
      return never<void>();
    });
    assert.equal(calls, 3);
    assert.equal(run.attempts.filter((a) => a.dropped).length, 7);
    assert.deepEqual(run.attempts.filter((a) => a.dropped).map((a) => a.index), [3, 4, 5, 6, 7, 8, 9]);
  });

  test("answers free their slot and record when they came; settled waits for all of them", async () => {
    // Between due times the fake clock yields a macrotask, time enough for an instant answer to settle.
    let now = 0;
    const clock: Clock = { now: () => now, sleepUntil: (ms) => new Promise((done) => setImmediate(() => done(void (now = ms)))) };
    const run = await runOpenLoop({ rate: 4, durationSeconds: 1, concurrencyCap: 1, clock }, async (i) => `answer ${i}`);
    await run.settled;
    assert.deepEqual(run.attempts.map((a) => a.result), ["answer 0", "answer 1", "answer 2", "answer 3"]);
    assert.ok(run.attempts.every((a) => a.doneMs !== undefined && !a.dropped));
  });

  test("the planned count is rate × duration, rounded down", () => {
    assert.equal(plannedCount(50, 20), 1000);
    assert.equal(plannedCount(3, 0.5), 1);
    assert.rejects(runOpenLoop({ rate: 0, durationSeconds: 1, concurrencyCap: 1 }, async () => 0), RangeError);
  });
});
