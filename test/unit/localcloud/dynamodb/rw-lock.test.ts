import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ReadWriteLock } from "../../../../localcloud/dynamodb/rw-lock.ts";

/** A promise plus the function that settles it, to hold a lock for as long as a test wants. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe("ReadWriteLock", () => {
  test("readers share, a writer waits for them, and later readers wait for the writer", async () => {
    const lock = new ReadWriteLock();
    const events: string[] = [];
    const readersDone = gate();
    const first = lock.withShared(async () => { events.push("read 1 start"); await readersDone.opened; events.push("read 1 end"); });
    const second = lock.withShared(async () => { events.push("read 2 start"); await readersDone.opened; events.push("read 2 end"); });
    const write = lock.withExclusive(async () => { events.push("write"); });
    const late = lock.withShared(async () => { events.push("read 3"); });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(events, ["read 1 start", "read 2 start"]);

    readersDone.open();
    await Promise.all([first, second, write, late]);
    assert.deepEqual(events.slice(2), ["read 1 end", "read 2 end", "write", "read 3"]);
  });

  test("writers run one at a time and a failing one releases the lock", async () => {
    const lock = new ReadWriteLock();
    let inside = 0;
    let most = 0;
    const work = async (fail: boolean) => {
      inside += 1;
      most = Math.max(most, inside);
      await new Promise((resolve) => setImmediate(resolve));
      inside -= 1;
      if (fail) throw new Error("boom");
    };
    const results = await Promise.allSettled([true, false, true, false].map((fail) => lock.withExclusive(() => work(fail))));
    assert.deepEqual(results.map((result) => result.status), ["rejected", "fulfilled", "rejected", "fulfilled"]);
    assert.equal(most, 1);
  });
});
