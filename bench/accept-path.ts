import type { PostOutcome } from "./http-post.ts";
import type { Attempt } from "./open-loop.ts";
import { p99PerSecond, perSecond, summarize, type LatencySummary } from "./stats.ts";

/** How the front door did under the open-loop load. */
export interface AcceptPathResult {
  readonly planned: number;
  readonly sent: number;
  readonly accepted: number;
  /** 202 answers per second of the run (the load window, or longer if answers came late). */
  readonly acceptedPerSecond: number;
  /** POST → 202, measured from the scheduled send time. */
  readonly acceptLatencyMs: LatencySummary;
  /** How late the client itself sent (a busy event loop on this machine shows here). */
  readonly sendLagMs: LatencySummary;
  /** Everything that was not a 202, by kind: "HTTP 503 ENQUEUE_FAILED", "timeout", "dropped by concurrency cap". */
  readonly failures: Record<string, number>;
  readonly perSecond: { readonly accepted: number[]; readonly acceptP99Ms: number[] };
}

/** A short, stable name for a non-202 outcome, with the API's error code when it sent one. */
export function failureKind(outcome: PostOutcome | undefined): string {
  if (!outcome) return "no answer";
  if (outcome.kind === "timeout") return "timeout";
  if (outcome.kind === "error") return `connection error ${outcome.code}`;
  let code = "";
  try {
    const body = JSON.parse(outcome.body) as { error?: { code?: unknown }; code?: unknown; message?: unknown };
    const found = body.error?.code ?? body.code ?? body.message;
    if (typeof found === "string") code = ` ${found}`;
  } catch {
    // not JSON: the status alone says enough
  }
  return `HTTP ${outcome.status}${code}`;
}

export function isAccepted(outcome: PostOutcome | undefined): boolean {
  return outcome?.kind === "status" && outcome.status === 202;
}

export function acceptPathResult(attempts: readonly Attempt<PostOutcome>[], startMs: number, durationSeconds: number): AcceptPathResult {
  const ok = attempts.filter((a) => isAccepted(a.result) && a.doneMs !== undefined);
  const failures: Record<string, number> = {};
  for (const a of attempts) {
    if (isAccepted(a.result)) continue;
    const kind = a.dropped ? "dropped by concurrency cap" : failureKind(a.result);
    failures[kind] = (failures[kind] ?? 0) + 1;
  }
  const lastDone = Math.max(startMs, ...ok.map((a) => a.doneMs ?? startMs));
  const windowSeconds = Math.max(durationSeconds, (lastDone - startMs) / 1000);
  const seconds = Math.ceil(windowSeconds);
  return {
    planned: attempts.length,
    sent: attempts.filter((a) => !a.dropped).length,
    accepted: ok.length,
    acceptedPerSecond: windowSeconds > 0 ? ok.length / windowSeconds : 0,
    acceptLatencyMs: summarize(ok.map((a) => (a.doneMs ?? 0) - a.scheduledMs)),
    sendLagMs: summarize(attempts.filter((a) => a.sentMs !== undefined).map((a) => (a.sentMs ?? 0) - a.scheduledMs)),
    failures,
    perSecond: {
      accepted: perSecond(ok.map((a) => a.doneMs ?? 0), startMs, seconds),
      acceptP99Ms: p99PerSecond(ok.map((a) => ({ atMs: a.scheduledMs, value: (a.doneMs ?? 0) - a.scheduledMs })), startMs, seconds),
    },
  };
}
