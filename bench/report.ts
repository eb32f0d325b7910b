import type { AcceptPathResult } from "./accept-path.ts";
import type { PipelineResult } from "./pipeline.ts";
import type { Sample } from "./sampler.ts";
import type { LatencySummary } from "./stats.ts";
import { renderCpu, type CpuPerOrder } from "./cpu.ts";
import { renderUsage, type UsageOutcome } from "./usage.ts";
import { renderAuthorizerCost, type AuthorizerCost } from "./authorizer-cost.ts";

export interface BenchOptions {
  readonly rate: number;
  readonly durationSeconds: number;
  readonly users: number;
  readonly sellRatio: number;
  readonly priceSource: string;
  readonly concurrencyCap: number;
  readonly timeoutMs: number;
  readonly drainTimeoutSeconds: number;
  /** Sandboxes per function of the in-process local cloud. */
  readonly functionConcurrency: number;
  readonly ceiling: boolean;
  /** The orders queue's consumer paused during the load: the accept path alone. */
  readonly acceptOnly?: boolean;
}

export interface ResourceSummary {
  /** Whose they are: "this process" (in-process) or the endpoint's process on this machine. */
  readonly process: string;
  /** Cores busy in that process (mean and max of the per-second samples taken during the load). */
  readonly cpuCoresMean: number;
  readonly cpuCoresMax: number;
  readonly mainThreadCoresMean: number;
  readonly mainThreadCoresMax: number;
  readonly rssMbMax: number;
}

export interface BenchReport {
  readonly startedAt: string;
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly node: string; readonly platform: string };
  readonly target: { readonly kind: string; readonly endpoint: string };
  readonly options: BenchOptions;
  readonly acceptPath: AcceptPathResult;
  readonly pipeline: PipelineResult;
  readonly ceiling?: AcceptPathResult;
  /** Ours / ceiling: accepted-per-second ratio, and p99 ratio (how many times slower). */
  readonly versusCeiling?: { readonly throughput: number; readonly p99: number };
  readonly resources?: ResourceSummary;
  /** Error log lines per function (in-process only): a hint at why orders were lost or rejected. */
  readonly functionErrors: Record<string, number>;
  /** AWS usage per completed order as the local cloud metered it, priced (or why it is unavailable). */
  readonly usage?: UsageOutcome;
  /** CPU per completed order, by where it was spent (local cloud only). */
  readonly cpu?: CpuPerOrder;
  /** With --accept-only: CPU per accepted order over the load alone, the orders queue's consumer paused (local cloud only). */
  readonly acceptCpu?: CpuPerOrder;
  /** The Lambda authorizer's invocations per request and CPU per order (local cloud only). */
  readonly authorizer?: AuthorizerCost;
  /** POST /sessions calls: every user once before the load; during it only after a 401. Absent in reports from before sign-in. */
  readonly signIns?: { readonly beforeLoad: number; readonly duringLoad: number };
  /** Per-second samples; atMs counts from the start of the load. */
  readonly samples: readonly Sample[];
}

export function resourceSummary(samples: readonly Sample[], fromMs: number, toMs: number, process = "this process"): ResourceSummary | undefined {
  const during = samples.filter((s) => s.atMs > fromMs && s.atMs <= toMs + 1000 && s.cpuCores !== undefined);
  if (during.length === 0) return undefined;
  const values = (pick: (s: Sample) => number | undefined) => during.map(pick).filter((v): v is number => v !== undefined);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
  const max = (xs: number[]) => (xs.length ? Math.max(...xs) : Number.NaN);
  const cpu = values((s) => s.cpuCores);
  const main = values((s) => s.mainThreadCores);
  return { process, cpuCoresMean: mean(cpu), cpuCoresMax: max(cpu), mainThreadCoresMean: mean(main), mainThreadCoresMax: max(main), rssMbMax: max(values((s) => s.rssMb)) };
}

export const ratio = (ours: number, ceiling: number): number => (ceiling > 0 ? ours / ceiling : Number.NaN);

export function latencyRow(label: string, l: LatencySummary): string {
  return `| ${label} | ${l.count} | ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.p99)} | ${ms(l.max)} |`;
}

export const ms = (v: number): string => (Number.isNaN(v) ? "–" : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const num = (v: number | undefined, digits = 1): string => (v === undefined || Number.isNaN(v) ? "–" : v.toFixed(digits));
const kinds = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, n]) => `${kind}: ${n}`)
    .join("; ") || "none";

/** The Markdown summary printed at the end of a run and written beside the JSON. */
export function renderMarkdown(r: BenchReport): string {
  const o = r.options;
  const a = r.acceptPath;
  const p = r.pipeline;
  const lines = [
    `# Order pipeline benchmark — ${r.startedAt}`,
    "",
    `${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}, target ${r.target.kind} (${r.target.endpoint}).`,
    `Open loop${o.acceptOnly ? ", accept path alone (the orders queue's consumer paused during the load)" : ""}: ${o.rate} orders/s for ${o.durationSeconds} s, ${o.users} users, sell ratio ${o.sellRatio}, price source ${o.priceSource}, concurrency cap ${o.concurrencyCap}, request timeout ${o.timeoutMs} ms, drain timeout ${o.drainTimeoutSeconds} s, ${o.functionConcurrency} sandboxes per function (in-process only).`,
    "",
    "| Measure | Value |",
    "|---|---|",
    `| Orders planned / sent | ${a.planned} / ${a.sent} |`,
    `| Accepted (202) | ${a.accepted} (${num(a.acceptedPerSecond)} /s) |`,
    `| Not accepted, by kind | ${kinds(a.failures)} |`,
    `| Client send lag p99 / max (ms) | ${ms(a.sendLagMs.p99)} / ${ms(a.sendLagMs.max)} |`,
    ...(r.signIns ? [`| Sign-ins before / during the load | ${r.signIns.beforeLoad} / ${r.signIns.duringLoad} |`] : []),
    `| Orders placed in the table / of them answered 202 in time | ${p.placed} / ${p.answered} |`,
    `| Completed (FILLED or REJECTED) | ${p.filled + Object.values(p.rejected).reduce((x, y) => x + y, 0)} — filled ${p.filled}; rejected: ${kinds(p.rejected)} |`,
    `| Completed /s during load / overall | ${num(p.completedPerSecondDuringLoad)} / ${num(p.completedPerSecondOverall)} |`,
    `| Lost (accepted, not final after drain) | ${p.lost} |`,
    `| Orders queue depth max | ${p.maxOrdersQueueDepth ?? "–"} |`,
    `| Backlog drained | ${p.backlogDrainedAfterSeconds === undefined ? "no" : `yes, ${num(p.backlogDrainedAfterSeconds, 0)} s after the load stopped`} |`,
  ];
  if (r.resources) {
    const c = r.resources;
    lines.push(
      `| CPU of ${c.process} under load, mean / max (cores) | ${num(c.cpuCoresMean, 2)} / ${num(c.cpuCoresMax, 2)} |`,
      `| … of it on the main thread, mean / max | ${num(c.mainThreadCoresMean, 2)} / ${num(c.mainThreadCoresMax, 2)} |`,
      `| RSS max (MB) | ${num(c.rssMbMax, 0)} |`,
    );
  }
  if (r.ceiling && r.versusCeiling) {
    lines.push(
      `| Ceiling (bare Node 202 server) accepted /s | ${num(r.ceiling.acceptedPerSecond)} |`,
      `| Ours / ceiling: throughput, p99 | ${num(r.versusCeiling.throughput, 2)}, ${num(r.versusCeiling.p99, 1)}× |`,
    );
  }
  if (Object.keys(r.functionErrors).length) lines.push(`| Error log lines by source | ${kinds(r.functionErrors)} |`);
  lines.push("", "| Latency (ms) | n | p50 | p95 | p99 | max |", "|---|---|---|---|---|---|", latencyRow("Accept: POST → 202, from scheduled send", a.acceptLatencyMs));
  if (r.ceiling) lines.push(latencyRow("Ceiling: POST → 202", r.ceiling.acceptLatencyMs));
  lines.push(latencyRow("End to end: accepted → final (createdAt → updatedAt)", p.endToEndLatencyMs), "");
  if (r.acceptCpu) {
    lines.push(...renderCpu(r.acceptCpu, {
      title: "CPU per accepted order, the accept path alone",
      window: `Over the load only, the orders queue's consumer paused (--accept-only); ${r.acceptCpu.orders} orders accepted. The sections below cover the drain that followed.`,
    }));
  }
  if (r.cpu) lines.push(...renderCpu(r.cpu));
  if (r.authorizer) lines.push(...renderAuthorizerCost(r.authorizer));
  if (r.usage) lines.push(...renderUsage(r.usage));
  return lines.join("\n");
}
