import { isFinal, type OrderRecord } from "./readback.ts";
import type { Sample } from "./sampler.ts";
import { perSecond, summarize, type LatencySummary } from "./stats.ts";

/** How the asynchronous part (queue → process-order) kept up. */
export interface PipelineResult {
  /** Orders placed during the load (found in the table), whether or not the client saw their 202. */
  readonly placed: number;
  /** Of them, those whose 202 reached the client in time. */
  readonly answered: number;
  readonly filled: number;
  /** REJECTED orders by reason, e.g. INSUFFICIENT_SHARES. */
  readonly rejected: Record<string, number>;
  /** Accepted but not FILLED/REJECTED when the drain timeout ran out (or never found in the table). */
  readonly lost: number;
  /** Final orders whose last update fell inside the load window, per second of it. */
  readonly completedPerSecondDuringLoad: number;
  /** All final orders over the time from the start until the last one became final. */
  readonly completedPerSecondOverall: number;
  /** createdAt → updatedAt of the final orders (the functions' own clocks). */
  readonly endToEndLatencyMs: LatencySummary;
  readonly maxOrdersQueueDepth: number | undefined;
  /** Seconds after the load stopped until the orders queue was seen empty; undefined if it never was. */
  readonly backlogDrainedAfterSeconds: number | undefined;
  readonly perSecond: { readonly completed: number[] };
}

export function pipelineResult(input: {
  orderIds: readonly string[];
  answered: number;
  records: ReadonlyMap<string, OrderRecord>;
  samples: readonly Sample[];
  /** Wall-clock (epoch ms) and monotonic (performance.now) times of the load's start, and its end. */
  startWallMs: number;
  startMs: number;
  loadEndMs: number;
  durationSeconds: number;
}): PipelineResult {
  const final = input.orderIds.map((id) => input.records.get(id)).filter((r): r is OrderRecord => isFinal(r));
  const rejected: Record<string, number> = {};
  for (const r of final) if (r.status === "REJECTED") rejected[r.reason ?? "no reason"] = (rejected[r.reason ?? "no reason"] ?? 0) + 1;
  const loadEndWall = input.startWallMs + input.durationSeconds * 1000;
  const lastFinal = Math.max(input.startWallMs, ...final.map((r) => r.updatedAt));
  const overallSeconds = (lastFinal - input.startWallMs) / 1000;
  const depths = input.samples.map((s) => s.queues.orders).filter((d): d is number => d !== undefined);
  const emptyAfter = input.samples.find((s) => s.atMs >= input.loadEndMs && s.queues.orders === 0);
  return {
    placed: input.orderIds.length,
    answered: input.answered,
    filled: final.filter((r) => r.status === "FILLED").length,
    rejected,
    lost: input.orderIds.length - final.length,
    completedPerSecondDuringLoad: final.filter((r) => r.updatedAt <= loadEndWall).length / input.durationSeconds,
    completedPerSecondOverall: overallSeconds > 0 ? final.length / overallSeconds : 0,
    endToEndLatencyMs: summarize(final.map((r) => r.updatedAt - r.createdAt)),
    maxOrdersQueueDepth: depths.length ? Math.max(...depths) : undefined,
    backlogDrainedAfterSeconds: emptyAfter ? Math.max(0, (emptyAfter.atMs - input.loadEndMs) / 1000) : undefined,
    perSecond: { completed: perSecond(final.map((r) => r.updatedAt), input.startWallMs, Math.ceil(Math.max(input.durationSeconds, overallSeconds))) },
  };
}
