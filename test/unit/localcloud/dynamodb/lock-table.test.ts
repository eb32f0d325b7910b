import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { LockTable, type LockRequest } from "../../../../localcloud/dynamodb/lock-table.ts";

/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Starts acquiring and records when the locks are granted. */
function track(table: LockTable, requests: LockRequest[]): { granted: () => boolean; release: Promise<() => void> } {
  let granted = false;
  const release = table.acquire(requests).then((release) => {
    granted = true;
    return release;
  });
  return { granted: () => granted, release };
}

describe("LockTable", () => {
  test("exclusive locks of different names are held at the same time", async () => {
    const table = new LockTable();
    const first = track(table, [{ name: "item a", mode: "exclusive" }]);
    const second = track(table, [{ name: "item b", mode: "exclusive" }]);
    await settle();
    assert.equal(first.granted(), true);
    assert.equal(second.granted(), true);
  });

  test("an exclusive lock waits for the holder of the same name, then is granted", async () => {
    const table = new LockTable();
    const first = track(table, [{ name: "item a", mode: "exclusive" }]);
    const second = track(table, [{ name: "item a", mode: "exclusive" }]);
    await settle();
    assert.equal(second.granted(), false);
    (await first.release)();
    await settle();
    assert.equal(second.granted(), true);
    (await second.release)();
    assert.equal(table.size, 0);
  });

  test("shared holders share; an exclusive waiter holds back later shared ones (arrival order)", async () => {
    const table = new LockTable();
    const reader1 = track(table, [{ name: "x", mode: "shared" }]);
    const reader2 = track(table, [{ name: "x", mode: "shared" }]);
    const writer = track(table, [{ name: "x", mode: "exclusive" }]);
    const reader3 = track(table, [{ name: "x", mode: "shared" }]);
    await settle();
    assert.deepEqual([reader1.granted(), reader2.granted(), writer.granted(), reader3.granted()], [true, true, false, false]);
    (await reader1.release)();
    await settle();
    assert.equal(writer.granted(), false);
    (await reader2.release)();
    await settle();
    assert.deepEqual([writer.granted(), reader3.granted()], [true, false]);
    (await writer.release)();
    await settle();
    assert.equal(reader3.granted(), true);
  });

  test("'read' shares with 'read' and 'write' with 'write', but the two exclude each other", async () => {
    const table = new LockTable();
    const write1 = track(table, [{ name: "table t", mode: "write" }]);
    const write2 = track(table, [{ name: "table t", mode: "write" }]);
    const read1 = track(table, [{ name: "table t", mode: "read" }]);
    const read2 = track(table, [{ name: "table t", mode: "read" }]);
    await settle();
    assert.deepEqual([write1.granted(), write2.granted(), read1.granted(), read2.granted()], [true, true, false, false]);
    (await write1.release)();
    (await write2.release)();
    await settle();
    assert.deepEqual([read1.granted(), read2.granted()], [true, true]);
  });

  test("requests naming the same locks in opposite orders both finish (locks are taken sorted)", async () => {
    const table = new LockTable();
    const order: string[] = [];
    const work = (label: string, names: string[]) =>
      table.withLocks(names.map((name) => ({ name, mode: "exclusive" as const })), async () => {
        order.push(`${label} in`);
        await settle();
        order.push(`${label} out`);
      });
    await Promise.all([work("A", ["p", "q"]), work("B", ["q", "p"]), work("C", ["q", "p"])]);
    assert.deepEqual(order, ["A in", "A out", "B in", "B out", "C in", "C out"]);
    assert.equal(table.size, 0);
  });

  test("a name given twice in one request is taken once, exclusively when the modes differ", async () => {
    const table = new LockTable();
    const both = track(table, [{ name: "x", mode: "shared" }, { name: "x", mode: "exclusive" }]);
    await settle();
    assert.equal(both.granted(), true);
    const reader = track(table, [{ name: "x", mode: "shared" }]);
    await settle();
    assert.equal(reader.granted(), false);
    (await both.release)();
    await settle();
    assert.equal(reader.granted(), true);
  });

  test("work that throws releases its locks", async () => {
    const table = new LockTable();
    await assert.rejects(table.withLocks([{ name: "x", mode: "exclusive" }], async () => Promise.reject(new Error("boom"))), /boom/);
    assert.equal(table.size, 0);
    const next = track(table, [{ name: "x", mode: "exclusive" }]);
    await settle();
    assert.equal(next.granted(), true);
  });
});
