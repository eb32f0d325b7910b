import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LogRing } from "../../../../localcloud/console/log-ring.ts";

/** A clock the test moves by hand. */
function clock(start = 1_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

const json = (fields: Record<string, unknown>) => JSON.stringify({ level: "INFO", timestamp: "2026-12-02T12:00:00.000Z", ...fields });

describe("the console's log ring buffer", () => {
  test("keeps only the newest lines, up to its capacity, oldest first", () => {
    const ring = new LogRing({ lines: 3 });
    for (let i = 1; i <= 5; i += 1) ring.add("deploy", `line ${i}`);
    assert.deepEqual(ring.lines().map((e) => e.line), ["line 3", "line 4", "line 5"]);
    assert.equal(ring.lastSeq, 5);
    assert.deepEqual(ring.lines({ limit: 2 }).map((e) => e.line), ["line 4", "line 5"]);
  });

  test("gives a poller only the lines after the last it saw", () => {
    const ring = new LogRing();
    ring.add("a", "one");
    const seen = ring.lastSeq;
    ring.add("a", "two");
    ring.add("b", "three");
    assert.deepEqual(ring.lines({ after: seen }).map((e) => e.line), ["two", "three"]);
    assert.deepEqual(ring.lines({ after: ring.lastSeq }), []);
  });

  test("reads correlation id, order id and level from JSON lines and filters by them", () => {
    const ring = new LogRing();
    ring.add("validate-order", json({ message: "order accepted", correlationId: "c-1", orderId: "o-1" }));
    ring.add("validate-order", json({ message: "order accepted", correlationId: "c-2", orderId: "o-2" }));
    ring.add("process-order", json({ level: "ERROR", message: "price unavailable", correlationId: "c-1" }));
    ring.add("sqs", "not json at all");
    const first = ring.lines({ correlationId: "c-1" });
    assert.deepEqual(first.map((e) => [e.source, e.orderId, e.level]), [["validate-order", "o-1", "INFO"], ["process-order", undefined, "ERROR"]]);
    assert.deepEqual(ring.lines({ source: "sqs" }).map((e) => e.line), ["not json at all"]);
    assert.deepEqual(ring.sources(), ["process-order", "sqs", "validate-order"]);
  });

  test("ties a function's line to the invocation open in its log stream, even with two running at once", () => {
    const time = clock();
    const ring = new LogRing({ now: time.now });
    ring.add("process-order", "START RequestId: r-1 Version: $LATEST", "stream-a");
    time.advance(5);
    ring.add("process-order", "START RequestId: r-2 Version: $LATEST", "stream-b");
    ring.add("process-order", json({ message: "filled", correlationId: "c-2" }), "stream-b");
    ring.add("process-order", json({ message: "filled", correlationId: "c-1" }), "stream-a");
    time.advance(20);
    ring.add("process-order", "END RequestId: r-2", "stream-b");
    ring.add("process-order", "REPORT RequestId: r-2 Duration: 20.00 ms Billed Duration: 21 ms Memory Size: 256 MB Max Memory Used: 80 MB", "stream-b");
    time.advance(10);
    ring.add("process-order", "END RequestId: r-1", "stream-a");
    ring.add("process-order", "REPORT RequestId: r-1 Duration: 35.50 ms Billed Duration: 36 ms Memory Size: 256 MB Max Memory Used: 80 MB", "stream-a");

    assert.deepEqual(ring.lines({ correlationId: "c-1" }).map((e) => e.requestId), ["r-1"]);
    const [invocation] = ring.invocations.withCorrelationId("c-2");
    assert.deepEqual([invocation?.requestId, invocation?.start, invocation?.end, invocation?.durationMs], ["r-2", 1_005, 1_025, 20]);
    assert.deepEqual(ring.invocations.withCorrelationId("c-1").map((i) => [i.requestId, i.start, i.end]), [["r-1", 1_000, 1_035]]);
  });

  test("without a stream, ties a line to the function's only open invocation, and to none when two are open", () => {
    const ring = new LogRing();
    ring.add("send-push", "START RequestId: p-1 Version: $LATEST");
    ring.add("send-push", json({ message: "push sent", correlationId: "c-9" }));
    ring.add("send-push", "START RequestId: p-2 Version: $LATEST");
    ring.add("send-push", json({ message: "push sent", correlationId: "c-10" }));
    assert.equal(ring.lines({ correlationId: "c-9" })[0]?.requestId, "p-1");
    assert.equal(ring.lines({ correlationId: "c-10" })[0]?.requestId, undefined);
  });

  test("counts invocations, errors and durations per function from START / REPORT lines", () => {
    const ring = new LogRing();
    const invoke = (source: string, id: string, ms: number, lines: string[] = []) => {
      ring.add(source, `START RequestId: ${id} Version: $LATEST`, id);
      for (const line of lines) ring.add(source, line, id);
      ring.add(source, `END RequestId: ${id}`, id);
      ring.add(source, `REPORT RequestId: ${id} Duration: ${ms.toFixed(2)} ms Billed Duration: ${Math.ceil(ms)} ms Memory Size: 128 MB Max Memory Used: 60 MB`, id);
    };
    for (let i = 1; i <= 10; i += 1) invoke("validate-order", `v-${i}`, i * 10);
    invoke("send-email", "e-1", 3, [json({ level: "ERROR", message: "smtp down" })]);
    invoke("send-email", "e-2", 4, ["2026-12-02T12:00:00.000Z e-2 Task timed out after 3.00 seconds"]);
    invoke("send-email", "e-3", 5);
    ring.add("send-email", "START RequestId: e-4 Version: $LATEST", "e-4");

    const [email, validate] = ring.invocations.activity();
    assert.deepEqual(validate, { functionName: "validate-order", invocations: 10, errors: 0, durationMs: { p50: 50, p99: 100, max: 100 } });
    assert.deepEqual(email, { functionName: "send-email", invocations: 3, errors: 2, durationMs: { p50: 4, p99: 5, max: 5 } });
  });
});
