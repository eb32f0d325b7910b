import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { acceptPathResult, failureKind } from "../../../bench/accept-path.ts";
import type { PostOutcome } from "../../../bench/http-post.ts";
import type { Attempt } from "../../../bench/open-loop.ts";
import { orderMix } from "../../../bench/order-mix.ts";
import { pipelineResult } from "../../../bench/pipeline.ts";
import { renderMarkdown, type BenchReport } from "../../../bench/report.ts";
import { renderSvg } from "../../../bench/svg.ts";

const accepted = (id: string): PostOutcome => ({ kind: "status", status: 202, body: JSON.stringify({ orderId: id, status: "ACCEPTED" }) });
const attempt = (index: number, result: PostOutcome | undefined, doneAfterMs: number, dropped = false): Attempt<PostOutcome> => ({
  index,
  scheduledMs: index * 100,
  ...(dropped ? {} : { sentMs: index * 100, doneMs: index * 100 + doneAfterMs }),
  ...(result ? { result } : {}),
  dropped,
});

describe("accept path results", () => {
  test("non-202 answers are grouped by status and API error code; timeouts and cap drops by name", () => {
    assert.equal(failureKind({ kind: "status", status: 503, body: '{"error":{"code":"ENQUEUE_FAILED","message":"x"}}' }), "HTTP 503 ENQUEUE_FAILED");
    assert.equal(failureKind({ kind: "status", status: 502, body: "Bad Gateway" }), "HTTP 502");
    assert.equal(failureKind({ kind: "timeout" }), "timeout");
    assert.equal(failureKind({ kind: "error", code: "ECONNRESET" }), "connection error ECONNRESET");
  });

  test("latency counts from the scheduled time; failures are tallied by kind", () => {
    const result = acceptPathResult(
      [attempt(0, accepted("a"), 10), attempt(1, accepted("b"), 30), attempt(2, { kind: "timeout" }, 50), attempt(3, undefined, 0, true)],
      0,
      1,
    );
    assert.equal(result.accepted, 2);
    assert.equal(result.sent, 3);
    assert.equal(result.acceptLatencyMs.max, 30);
    assert.deepEqual(result.failures, { timeout: 1, "dropped by concurrency cap": 1 });
  });
});

describe("order mix", () => {
  test("sells only what earlier buys of the same user asked for", () => {
    const next = orderMix({ users: 3, sellRatio: 0.9, seed: 7 });
    const held = new Map<string, number>();
    for (let i = 0; i < 500; i++) {
      const order = next(i);
      const key = `${order.userId}|${order.ticker}`;
      const delta = order.side === "BUY" ? order.quantity : -order.quantity;
      held.set(key, (held.get(key) ?? 0) + delta);
      assert.ok((held.get(key) ?? 0) >= 0, `order ${i} sells more than was bought`);
    }
  });

  test("users take turns and the same seed gives the same orders", () => {
    const a = orderMix({ users: 2, sellRatio: 0.3, seed: 1 });
    const b = orderMix({ users: 2, sellRatio: 0.3, seed: 1 });
    const first = [0, 1, 2].map(a);
    assert.deepEqual(first.map((o) => o.userId), ["bench-1", "bench-2", "bench-1"]);
    assert.deepEqual(first, [0, 1, 2].map(b));
  });
});

function sampleReport(): BenchReport {
  const acceptPath = acceptPathResult([attempt(0, accepted("a"), 12), attempt(1, { kind: "status", status: 500, body: '{"error":{"code":"INTERNAL_ERROR"}}' }, 40)], 0, 1);
  const pipeline = pipelineResult({
    orderIds: ["a", "b"],
    answered: 2,
    records: new Map([["a", { orderId: "a", status: "REJECTED", reason: "INSUFFICIENT_SHARES", createdAt: 1_000, updatedAt: 1_250 }]]),
    samples: [{ atMs: 1500, queues: { orders: 0 } }],
    startWallMs: 1_000,
    startMs: 0,
    loadEndMs: 1000,
    durationSeconds: 1,
  });
  return {
    startedAt: "2026-01-02T03:04:05.000Z",
    machine: { cpus: 2, cpuModel: "Test CPU", node: "22.0.0", platform: "linux" },
    target: { kind: "in-process", endpoint: "http://localhost:1" },
    options: { rate: 2, durationSeconds: 1, users: 1, sellRatio: 0, priceSource: "simulated", concurrencyCap: 4, timeoutMs: 1000, drainTimeoutSeconds: 5, functionConcurrency: 4, ceiling: false },
    acceptPath,
    pipeline,
    functionErrors: {},
    samples: [],
  };
}

describe("Markdown and SVG rendering", () => {
  test("the table shows accepted, failures by kind, rejections by reason, lost orders and latencies", () => {
    const md = renderMarkdown(sampleReport());
    assert.match(md, /^# Order pipeline benchmark — 2026-01-02T03:04:05.000Z/);
    assert.match(md, /\| Accepted \(202\) \| 1 \(1\.0 \/s\) \|/);
    assert.match(md, /\| Not accepted, by kind \| HTTP 500 INTERNAL_ERROR: 1 \|/);
    assert.match(md, /rejected: INSUFFICIENT_SHARES: 1/);
    assert.match(md, /\| Lost \(accepted, not final after drain\) \| 1 \|/);
    assert.match(md, /\| Backlog drained \| yes, 1 s after the load stopped \|/);
    assert.match(md, /\| Accept: POST → 202, from scheduled send \| 1 \| 12\.0 \| 12\.0 \| 12\.0 \| 12\.0 \|/);
    assert.match(md, /\| End to end: accepted → final \(createdAt → updatedAt\) \| 1 \| 250 \|/);
    assert.doesNotMatch(md, /Ceiling/);
    assert.doesNotMatch(md, /accept path alone/);
  });

  test("an --accept-only run says so and shows the CPU per accepted order over the load alone", () => {
    const base = sampleReport();
    const md = renderMarkdown({
      ...base,
      options: { ...base.options, acceptOnly: true },
      acceptCpu: { orders: 300, sandboxMs: { "validate-order": 3.5, authorize: 0.2 }, sandboxTotalMs: 3.7, processMs: 9.1, mainThreadMs: 4.0, otherThreadsMs: 1.4, includesClient: true },
    });
    assert.match(md, /Open loop, accept path alone \(the orders queue's consumer paused during the load\): 2 orders\/s/);
    assert.match(md, /## CPU per accepted order, the accept path alone\n\nOver the load only, the orders queue's consumer paused \(--accept-only\); 300 orders accepted\./);
    assert.match(md, /\| … validate-order \| 3\.50 \|/);
  });

  test("the chart is one SVG document with a line per series", () => {
    const svg = renderSvg(sampleReport());
    assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.equal((svg.match(/<polyline/g) ?? []).length, 3);
    assert.match(svg, /<\/svg>\n$/);
  });
});
