/**
 * Where the CPU went, per completed order: the sandboxes' own CPU time by function (the
 * local cloud measures each invocation's thread CPU) and, when the cloud runs in this
 * process, the main thread (HTTP front door, emulators, pollers, bench client) and the
 * rest of the process (V8's garbage-collector and compiler helper threads, libuv).
 */
import { diffUsage, type UsageSnapshot } from "../localcloud/metering/usage.ts";
import { fmt } from "./usage.ts";

/** CPU counters of this process, in milliseconds. */
export interface ProcessCpu {
  readonly processMs: number;
  readonly mainThreadMs: number;
}

export function processCpuNow(): ProcessCpu {
  const all = process.cpuUsage();
  const main = process.threadCpuUsage();
  return { processMs: (all.user + all.system) / 1000, mainThreadMs: (main.user + main.system) / 1000 };
}

export interface CpuPerOrder {
  readonly orders: number;
  /** Sandbox CPU per order by function (display name). */
  readonly sandboxMs: Readonly<Record<string, number>>;
  readonly sandboxTotalMs: number;
  /** Only when the local cloud runs in the bench's process. */
  readonly processMs?: number;
  readonly mainThreadMs?: number;
  /** processMs − mainThreadMs − sandboxTotalMs. */
  readonly otherThreadsMs?: number;
}

export function cpuPerOrder(before: UsageSnapshot, after: UsageSnapshot, orders: number, process?: { before: ProcessCpu; after: ProcessCpu }): CpuPerOrder {
  const per = (value: number): number => (orders > 0 ? value / orders : Number.NaN);
  const sandboxMs: Record<string, number> = {};
  for (const row of diffUsage(after, before).lambda) sandboxMs[row.displayName] = (sandboxMs[row.displayName] ?? 0) + per(row.cpuMs ?? 0);
  const sandboxTotalMs = Object.values(sandboxMs).reduce((a, b) => a + b, 0);
  if (!process) return { orders, sandboxMs, sandboxTotalMs };
  const processMs = per(process.after.processMs - process.before.processMs);
  const mainThreadMs = per(process.after.mainThreadMs - process.before.mainThreadMs);
  return { orders, sandboxMs, sandboxTotalMs, processMs, mainThreadMs, otherThreadsMs: processMs - mainThreadMs - sandboxTotalMs };
}

export function renderCpu(cpu: CpuPerOrder): string[] {
  const functions = Object.entries(cpu.sandboxMs).sort((a, b) => b[1] - a[1]);
  const rows = [
    ...(cpu.processMs !== undefined ? [`| Whole process | ${fmt(cpu.processMs)} |`] : []),
    ...(cpu.mainThreadMs !== undefined ? [`| Main thread (front door, emulators, pollers, bench client) | ${fmt(cpu.mainThreadMs)} |`] : []),
    `| Lambda sandboxes, all | ${fmt(cpu.sandboxTotalMs)} |`,
    ...functions.map(([name, ms]) => `| … ${name} | ${fmt(ms)} |`),
    ...(cpu.otherThreadsMs !== undefined ? [`| Other threads (V8 GC and compiler helpers, libuv) | ${fmt(cpu.otherThreadsMs)} |`] : []),
  ];
  return ["## CPU per completed order on this machine", "", `Over the same window and ${cpu.orders} orders as the usage below.`, "", "| Where | ms |", "|---|---|", ...rows, ""];
}
