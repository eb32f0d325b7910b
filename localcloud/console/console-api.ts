/** The console's JSON API under `/_localcloud/api/`: read-only views of whatever stack is deployed. */
import { z } from "zod";
import type { StackRecord } from "../cloudformation/stack-records.ts";
import type { FunctionActivity, MonitoringView } from "../monitoring/monitoring-view.ts";
import type { HttpRequest, HttpResponse } from "../types.ts";
import { dashboardCharts } from "./dashboard-charts.ts";
import type { LogRing } from "./log-ring.ts";
import { queueDepths, type InspectableQueue } from "./queue-depths.ts";
import { stacksView } from "./stacks-view.ts";
import { assembleTimeline } from "./timeline.ts";

export const CONSOLE_API_PATH = "/_localcloud/api";

/** Where the console reads from; the cloud passes its live services. */
export interface ConsoleSources {
  readonly logs: LogRing;
  stacks(): Iterable<StackRecord>;
  queues(): Iterable<InspectableQueue>;
  functions(): readonly { readonly functionName: string; readonly displayName: string }[];
  /** Metrics, alarms, dashboards, activity and traces; without it those panels say "not available". */
  monitoring(): MonitoringView | undefined;
  readonly now?: () => number;
}

export interface FunctionRow extends FunctionActivity {
  readonly displayName: string;
}

const logQuery = z.object({
  correlationId: z.string().min(1).max(200).optional(),
  source: z.string().min(1).max(200).optional(),
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(2000).optional(),
});
const chartsQuery = z.object({ minutes: z.coerce.number().int().min(1).max(24 * 60).default(15) });

class ConsoleRequestError extends Error {
  override readonly name = "ConsoleRequestError";
  constructor(readonly statusCode: number, readonly code: string, message: string) {
    super(message);
  }
}

const json = (statusCode: number, value: unknown): HttpResponse => ({
  statusCode,
  headers: { "content-type": "application/json", "cache-control": "no-store" },
  body: JSON.stringify(value),
});

function parse<T>(schema: z.ZodType<T>, query: URLSearchParams): T {
  const result = schema.safeParse(Object.fromEntries(query));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ConsoleRequestError(400, "INVALID_QUERY", `${issue?.path.join(".") ?? "query"}: ${issue?.message ?? "invalid"}`);
}

/** The API's answer, or undefined when the request is not for it. */
export function consoleApiResponse(sources: ConsoleSources, request: HttpRequest): HttpResponse | undefined {
  const url = new URL(request.url, "http://localhost");
  if (!url.pathname.startsWith(`${CONSOLE_API_PATH}/`)) return undefined;
  if (request.method !== "GET") return json(405, { code: "METHOD_NOT_ALLOWED", message: "The console's API is read-only: use GET." });
  const route = url.pathname.slice(CONSOLE_API_PATH.length + 1);
  try {
    if (route === "overview") return json(200, overview(sources));
    if (route === "logs") {
      const filter = parse(logQuery, url.searchParams);
      return json(200, { lines: sources.logs.lines(filter), lastSeq: sources.logs.lastSeq, sources: sources.logs.sources() });
    }
    if (route === "charts") {
      const monitoring = sources.monitoring();
      const { minutes } = parse(chartsQuery, url.searchParams);
      return json(200, monitoring === undefined ? { available: false } : { available: true, ...dashboardCharts(monitoring, minutes, now(sources)) });
    }
    if (route === "correlations") return json(200, { correlationIds: recentCorrelationIds(sources.logs) });
    if (route.startsWith("timeline/")) {
      const correlationId = decoded(route.slice("timeline/".length));
      if (correlationId === "") throw new ConsoleRequestError(400, "INVALID_CORRELATION_ID", "Name a correlation id: /timeline/{correlationId}.");
      return json(200, timeline(sources, correlationId));
    }
    return json(404, { code: "NOT_FOUND", message: `No console API at ${url.pathname}` });
  } catch (error) {
    if (error instanceof ConsoleRequestError) return json(error.statusCode, { code: error.code, message: error.message });
    throw error;
  }
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ConsoleRequestError(400, "INVALID_CORRELATION_ID", "The correlation id is not validly percent-encoded.");
  }
}

const now = (sources: ConsoleSources): number => (sources.now ?? Date.now)();

function overview(sources: ConsoleSources) {
  const monitoring = sources.monitoring();
  return {
    stacks: stacksView(sources.stacks()),
    queues: queueDepths(sources.queues()),
    functions: functionRows(sources, monitoring),
    activityFrom: monitoring === undefined ? "logs" : "monitoring",
    alarms: monitoring?.alarms() ?? null,
    monitoring: monitoring !== undefined,
    lastSeq: sources.logs.lastSeq,
    time: new Date(now(sources)).toISOString(),
  };
}

/** Every deployed function, with its activity from the monitoring, or else counted from its log lines. */
function functionRows(sources: ConsoleSources, monitoring: MonitoringView | undefined): FunctionRow[] {
  const deployed = sources.functions();
  const activity = monitoring?.functionActivity() ?? sources.logs.invocations.activity();
  const rows = deployed.map((fn): FunctionRow => {
    const found = activity.find((a) => a.functionName === fn.functionName || a.functionName === fn.displayName);
    return { functionName: fn.functionName, displayName: fn.displayName, invocations: found?.invocations ?? 0, errors: found?.errors ?? 0, durationMs: found?.durationMs ?? { p50: 0, p99: 0, max: 0 } };
  });
  return rows.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** The timeline of a correlation id, or of the correlation id an order's lines carried when given an order id. */
function timeline(sources: ConsoleSources, asked: string) {
  const names = new Map(sources.functions().map((fn) => [fn.functionName, fn.displayName]));
  const monitoring = sources.monitoring();
  const direct = sources.logs.invocations.withCorrelationId(asked);
  const correlationId = direct.length > 0 ? asked : (sources.logs.correlationIdOfOrder(asked) ?? asked);
  const invocations = correlationId === asked ? direct : sources.logs.invocations.withCorrelationId(correlationId);
  return { asked, ...assembleTimeline(correlationId, invocations, {
    ...(monitoring === undefined ? {} : { monitoring }),
    displayNameOf: (name) => names.get(name),
    now: now(sources),
  }) };
}

/** The correlation ids of the newest lines, newest first, each once. */
function recentCorrelationIds(logs: LogRing, count = 25): string[] {
  const ids: string[] = [];
  for (const entry of logs.lines({ limit: 2000 }).reverse()) {
    if (entry.correlationId !== undefined && !ids.includes(entry.correlationId)) ids.push(entry.correlationId);
    if (ids.length >= count) break;
  }
  return ids;
}
