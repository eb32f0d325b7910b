/**
 * What the API's Lambda authorizer costs per request and per order. API Gateway caches
 * its answer per token (60 s in this stack), so it runs about once per user per minute,
 * not once per request: invocations per API request show how well the cache works.
 */
import { diffUsage, type UsageSnapshot } from "../localcloud/metering/usage.ts";
import type { CpuPerOrder } from "./cpu.ts";
import { fmt } from "./usage.ts";

/** The authorizer's display name in the local cloud's meter (its construct id, kebab case). */
export const AUTHORIZER_FUNCTION = "authorize";

export interface AuthorizerCost {
  readonly functionName: string;
  readonly orders: number;
  /** API Gateway requests in the window (the bench's orders, and nothing else is calling). */
  readonly apiRequests: number;
  readonly invocations: number;
  /** invocations / apiRequests: 1 without a cache, near users / (requests per minute) with one. */
  readonly invocationsPerRequest: number;
  /** The authorizer's sandbox CPU per completed order. */
  readonly cpuMsPerOrder: number;
  /** Its billed duration per completed order. */
  readonly billedMsPerOrder: number;
  /** Its part of all the sandboxes' CPU per order. */
  readonly shareOfSandboxCpu: number;
  /** Its part of the local cloud process's CPU per order, when that could be read. */
  readonly shareOfProcessCpu?: number;
}

/** The authorizer's use between two snapshots; undefined when the meter has never seen it (a stack without one). */
export function authorizerCost(before: UsageSnapshot, after: UsageSnapshot, orders: number, cpu?: CpuPerOrder, functionName = AUTHORIZER_FUNCTION): AuthorizerCost | undefined {
  if (!after.lambda.some((row) => row.displayName === functionName)) return undefined;
  const diff = diffUsage(after, before);
  const rows = diff.lambda.filter((row) => row.displayName === functionName);
  const total = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((sum, row) => sum + pick(row), 0);
  const invocations = total((row) => row.invocations);
  const apiRequests = diff.apigateway.reduce((sum, row) => sum + row.requests, 0);
  const per = (value: number): number => (orders > 0 ? value / orders : Number.NaN);
  const cpuMsPerOrder = per(total((row) => row.cpuMs ?? 0));
  return {
    functionName,
    orders,
    apiRequests,
    invocations,
    invocationsPerRequest: apiRequests > 0 ? invocations / apiRequests : Number.NaN,
    cpuMsPerOrder,
    billedMsPerOrder: per(total((row) => row.billedMs)),
    shareOfSandboxCpu: cpu && cpu.sandboxTotalMs > 0 ? cpuMsPerOrder / cpu.sandboxTotalMs : Number.NaN,
    ...(cpu?.processMs !== undefined && cpu.processMs > 0 ? { shareOfProcessCpu: cpuMsPerOrder / cpu.processMs } : {}),
  };
}

const percent = (share: number): string => (Number.isNaN(share) ? "–" : `${(share * 100).toFixed(1)} %`);

export function renderAuthorizerCost(cost: AuthorizerCost): string[] {
  return [
    "## The authorizer's cost",
    "",
    `The Lambda authorizer (${cost.functionName}) over the same window and ${cost.orders} orders; API Gateway caches its answer per token.`,
    "",
    "| Measure | Value |",
    "|---|---|",
    `| Invocations / API requests | ${cost.invocations} / ${cost.apiRequests} = ${fmt(cost.invocationsPerRequest)} per request |`,
    `| Sandbox CPU per order (ms) | ${fmt(cost.cpuMsPerOrder)} |`,
    `| Billed duration per order (ms) | ${fmt(cost.billedMsPerOrder)} |`,
    `| Share of all sandboxes' CPU | ${percent(cost.shareOfSandboxCpu)} |`,
    ...(cost.shareOfProcessCpu !== undefined ? [`| Share of the local cloud process's CPU | ${percent(cost.shareOfProcessCpu)} |`] : []),
    "",
  ];
}
