import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LogRing } from "../../../../localcloud/console/log-ring.ts";
import { assembleTimeline } from "../../../../localcloud/console/timeline.ts";
import { fakeMonitoring } from "../../../support/console-fakes.ts";

/** Logs one invocation of `source` from `start` to `end` (ms) that logged each correlation id. */
function invocation(ring: LogRing, clock: { now: number }, source: string, id: string, start: number, end: number, correlationIds: string[], error = false) {
  clock.now = start;
  ring.add(source, `START RequestId: ${id} Version: $LATEST`, id);
  for (const correlationId of correlationIds) ring.add(source, JSON.stringify({ level: error ? "ERROR" : "INFO", message: "work", correlationId }), id);
  clock.now = end;
  ring.add(source, `END RequestId: ${id}`, id);
  ring.add(source, `REPORT RequestId: ${id} Duration: ${(end - start).toFixed(2)} ms Billed Duration: ${end - start} ms Memory Size: 128 MB Max Memory Used: 50 MB`, id);
}

describe("an order's timeline", () => {
  test("one row per function in the order they ran, a bar per invocation that logged the correlation id", () => {
    const clock = { now: 0 };
    const ring = new LogRing({ now: () => clock.now });
    invocation(ring, clock, "validate-order", "v-1", 1_000, 1_040, ["c-1"]);
    invocation(ring, clock, "validate-order", "v-2", 1_010, 1_050, ["c-2"]);
    // One batch of process-order carried both orders.
    invocation(ring, clock, "process-order", "p-1", 1_100, 1_300, ["c-1", "c-2"]);
    invocation(ring, clock, "send-email", "e-1", 1_400, 1_420, ["c-1"], true);
    invocation(ring, clock, "send-push", "s-1", 1_350, 1_360, ["c-1"]);
    clock.now = 1_500;
    ring.add("consolidate-portfolio", "START RequestId: k-1 Version: $LATEST", "k-1");
    ring.add("consolidate-portfolio", JSON.stringify({ level: "INFO", message: "consolidating", correlationId: "c-1" }), "k-1");

    const timeline = assembleTimeline("c-1", ring.invocations.withCorrelationId("c-1"), { now: 1_600 });
    assert.deepEqual(timeline.rows.map((r) => r.name), ["validate-order", "process-order", "send-push", "send-email", "consolidate-portfolio"]);
    assert.deepEqual(timeline.rows.map((r) => r.bars.map((b) => [b.start, b.end, b.error, b.running])), [
      [[1_000, 1_040, false, false]],
      [[1_100, 1_300, false, false]],
      [[1_350, 1_360, false, false]],
      [[1_400, 1_420, true, false]],
      [[1_500, 1_600, false, true]],
    ]);
    assert.deepEqual([timeline.start, timeline.end], [1_000, 1_600]);
    assert.equal(timeline.rows[1]?.bars[0]?.label, "200.0 ms");
  });

  test("adds the segments of traces annotated with the id, in the rows of their functions", () => {
    const clock = { now: 0 };
    const ring = new LogRing({ now: () => clock.now });
    invocation(ring, clock, "validate-order", "v-1", 1_000, 1_040, ["c-7"]);
    const monitoring = fakeMonitoring({
      segments: [
        { traceId: "1-abc", id: "a", name: "Brokerage/prod", origin: "AWS::ApiGateway::Stage", startTime: 0.99, endTime: 1.05, annotations: {} },
        { traceId: "1-abc", id: "b", parentId: "a", name: "Brokerage-ValidateOrder-ABC", origin: "AWS::Lambda::Function", startTime: 1.0, endTime: 1.04, annotations: { correlationId: "c-7" } },
        { traceId: "1-abc", id: "c", parentId: "b", name: "DynamoDB", startTime: 1.01, endTime: 1.02 },
        { traceId: "1-other", id: "d", name: "Brokerage-ValidateOrder-ABC", origin: "AWS::Lambda::Function", startTime: 2, endTime: 2.1, annotations: { correlationId: "c-8" } },
      ],
    });
    const names = new Map([["Brokerage-ValidateOrder-ABC", "validate-order"]]);
    const timeline = assembleTimeline("c-7", ring.invocations.withCorrelationId("c-7"), { monitoring, displayNameOf: (n) => names.get(n), now: 3_000 });
    assert.deepEqual(timeline.traceIds, ["1-abc"]);
    assert.deepEqual(timeline.rows.map((r) => [r.name, r.bars.map((b) => b.kind)]), [
      ["Brokerage/prod", ["segment"]],
      ["validate-order", ["invocation", "segment"]],
    ]);
    assert.equal(timeline.start, 990);
  });

  test("an id nothing logged has an empty timeline", () => {
    const timeline = assembleTimeline("nobody", new LogRing().invocations.withCorrelationId("nobody"), { monitoring: fakeMonitoring(), now: 5 });
    assert.deepEqual([timeline.rows, timeline.start, timeline.end], [[], 0, 0]);
  });
});
