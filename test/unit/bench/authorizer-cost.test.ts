import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { authorizerCost, renderAuthorizerCost } from "../../../bench/authorizer-cost.ts";
import { cpuPerOrder } from "../../../bench/cpu.ts";
import { renderMarkdown, type BenchReport } from "../../../bench/report.ts";
import type { LambdaUsageRow, UsageSnapshot } from "../../../localcloud/metering/usage.ts";

const row = (displayName: string, invocations: number, cpuMs: number): LambdaUsageRow => ({
  functionName: `Brokerage-${displayName}`,
  displayName,
  memorySizeMb: 256,
  architecture: "arm64",
  invocations,
  errors: 0,
  billedMs: invocations * 4,
  gbSeconds: invocations * 0.001,
  cpuMs,
});
const snapshot = (lambda: LambdaUsageRow[], apiRequests: number): UsageSnapshot => ({
  takenAt: "t",
  dynamodb: [],
  sqs: [],
  lambda,
  apigateway: [{ apiId: "abc", stage: "prod", requests: apiRequests }],
  inFlight: { lambdaInvocations: 0 },
});

describe("the authorizer's cost per request", () => {
  // The warm-up signed 8 users in; the window holds 200 orders, of which 42 came with a token not cached yet.
  const before = snapshot([row("authorize", 8, 40), row("validate-order", 8, 80)], 8);
  const after = snapshot([row("authorize", 50, 250), row("validate-order", 208, 2080)], 208);

  test("counts its invocations per API request in the window, and its CPU per order and share", () => {
    const cpu = cpuPerOrder(before, after, 200, { before: { cpuMs: 0, mainThreadMs: 0, rssMb: 0 }, after: { cpuMs: 10_500, mainThreadMs: 5000, rssMb: 0 }, includesClient: true });
    const cost = authorizerCost(before, after, 200, cpu);
    assert.ok(cost);
    assert.equal(cost.invocations, 42);
    assert.equal(cost.apiRequests, 200);
    assert.equal(cost.invocationsPerRequest, 0.21);
    assert.equal(cost.cpuMsPerOrder, 210 / 200);
    assert.equal(cost.billedMsPerOrder, (42 * 4) / 200);
    // Sandboxes: 1.05 (authorize) + 10 (validate-order) ms per order.
    assert.equal(cost.shareOfSandboxCpu, 1.05 / 11.05);
    assert.equal(cost.shareOfProcessCpu, 1.05 / 52.5);
    const text = renderAuthorizerCost(cost).join("\n");
    assert.match(text, /\| Invocations \/ API requests \| 42 \/ 200 = 0\.21 per request \|/);
    assert.match(text, /\| Share of all sandboxes' CPU \| 9\.5 % \|/);
    assert.match(text, /\| Share of the local cloud process's CPU \| 2\.0 % \|/);
  });

  test("a window where every token was cached shows no invocations, not a missing authorizer", () => {
    const cached = snapshot([row("authorize", 8, 40), row("validate-order", 108, 1080)], 108);
    const cost = authorizerCost(before, cached, 100);
    assert.equal(cost?.invocations, 0);
    assert.equal(cost?.invocationsPerRequest, 0);
    assert.equal(cost?.cpuMsPerOrder, 0);
    assert.equal(cost?.shareOfProcessCpu, undefined);
  });

  test("a stack without an authorizer has no such section", () => {
    const plain = (n: number) => snapshot([row("validate-order", n, n * 10)], n);
    assert.equal(authorizerCost(plain(1), plain(101), 100), undefined);
  });

  test("the report shows the section and the sign-ins when the run has them", () => {
    const cost = authorizerCost(before, after, 200);
    assert.ok(cost);
    const latency = { count: 0, p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN, mean: Number.NaN };
    const report = {
      startedAt: "2026-12-02T00:00:00.000Z",
      machine: { cpus: 2, cpuModel: "cpu", node: "22", platform: "linux" },
      target: { kind: "in-process", endpoint: "http://127.0.0.1:1" },
      options: { rate: 20, durationSeconds: 10, users: 50, sellRatio: 0.3, priceSource: "simulated", concurrencyCap: 256, timeoutMs: 10_000, drainTimeoutSeconds: 60, functionConcurrency: 2, ceiling: false },
      acceptPath: { planned: 0, sent: 0, accepted: 0, acceptedPerSecond: 0, acceptLatencyMs: latency, sendLagMs: latency, failures: {}, perSecond: { accepted: [], acceptP99Ms: [] } },
      pipeline: { placed: 0, answered: 0, filled: 0, rejected: {}, lost: 0, completedPerSecondDuringLoad: 0, completedPerSecondOverall: 0, endToEndLatencyMs: latency },
      functionErrors: {},
      authorizer: cost,
      signIns: { beforeLoad: 50, duringLoad: 0 },
      samples: [],
    } as unknown as BenchReport;
    const markdown = renderMarkdown(report);
    assert.match(markdown, /## The authorizer's cost/);
    assert.match(markdown, /\| Sign-ins before \/ during the load \| 50 \/ 0 \|/);
  });
});
