/**
 * Where the CPU went, per completed order: the sandboxes' own CPU time by function (the
 * local cloud measures each invocation's thread CPU) and, when the local cloud's process
 * can be read (in this process, or `npm start` on this machine), its main thread (HTTP
 * front door, emulators, pollers, and the bench client when in-process) and the rest of
 * the process (V8's garbage-collector and compiler helper threads, libuv).
 */
import { diffUsage, type UsageSnapshot } from "../localcloud/metering/usage.ts";
import type { ProcessReading } from "./process-probe.ts";
import { fmt } from "./usage.ts";

export interface CpuPerOrder {
  readonly orders: number;
  /** Sandbox CPU per order by function (display name). */
  readonly sandboxMs: Readonly<Record<string, number>>;
  readonly sandboxTotalMs: number;
  /** Only when the local cloud's process could be read. */
  readonly processMs?: number;
  readonly mainThreadMs?: number;
  /** processMs − mainThreadMs − sandboxTotalMs. */
  readonly otherThreadsMs?: number;
  /** Whether the bench's client ran in that process, so its CPU is in the main thread's. */
  readonly includesClient?: boolean;
}

export function cpuPerOrder(
  before: UsageSnapshot,
  after: UsageSnapshot,
  orders: number,
  process?: { before: ProcessReading; after: ProcessReading; includesClient: boolean },
): CpuPerOrder {
  const per = (value: number): number => (orders > 0 ? value / orders : Number.NaN);
  const sandboxMs: Record<string, number> = {};
  for (const row of diffUsage(after, before).lambda) sandboxMs[row.displayName] = (sandboxMs[row.displayName] ?? 0) + per(row.cpuMs ?? 0);
  const sandboxTotalMs = Object.values(sandboxMs).reduce((a, b) => a + b, 0);
  if (!process) return { orders, sandboxMs, sandboxTotalMs };
  const processMs = per(process.after.cpuMs - process.before.cpuMs);
  const mainThreadMs = per(process.after.mainThreadMs - process.before.mainThreadMs);
  return { orders, sandboxMs, sandboxTotalMs, processMs, mainThreadMs, otherThreadsMs: processMs - mainThreadMs - sandboxTotalMs, includesClient: process.includesClient };
}

export function renderCpu(cpu: CpuPerOrder, heading: { title: string; window: string } = { title: "CPU per completed order on this machine", window: `Over the same window and ${cpu.orders} orders as the usage below.` }): string[] {
  const functions = Object.entries(cpu.sandboxMs).sort((a, b) => b[1] - a[1]);
  const rows = [
    ...(cpu.processMs !== undefined ? [`| Whole process | ${fmt(cpu.processMs)} |`] : []),
    ...(cpu.mainThreadMs !== undefined ? [`| Main thread (front door, emulators, pollers${cpu.includesClient ? ", bench client" : ""}) | ${fmt(cpu.mainThreadMs)} |`] : []),
    `| Lambda sandboxes, all | ${fmt(cpu.sandboxTotalMs)} |`,
    ...functions.map(([name, ms]) => `| … ${name} | ${fmt(ms)} |`),
    ...(cpu.otherThreadsMs !== undefined ? [`| Other threads (V8 GC and compiler helpers, libuv) | ${fmt(cpu.otherThreadsMs)} |`] : []),
  ];
  return [`## ${heading.title}`, "", heading.window, "", "| Where | ms |", "|---|---|", ...rows, ""];
}
