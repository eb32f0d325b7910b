/**
 * Checks each order's audit trail against its state: once the order is notified, its
 * `accepted` event and exactly one final event matching its status (consolidation publishes
 * both together); none doubled, none contradicting the status.
 * Pure: values in, checks out; the DynamoDB reading lives in event-trail-source.ts.
 */
import type { LedgerCheck } from "./ledger-audit.ts";

export interface OrderTrail {
  readonly orderId: string;
  /** ACCEPTED, FILLED or REJECTED. */
  readonly status: string;
  readonly reason?: string;
  /** Set once the order's events were published (consolidation marks the order notified). */
  readonly notified: boolean;
  /** The types of the audit items of the order, in the trail's order. */
  readonly events: readonly string[];
}

/** The events an order should have by now, or a reason it may legitimately lack some. */
function expectedEvents(trail: OrderTrail): { required: string[]; allowed: string[] } {
  // Refused at once when it could not be queued: the client was told, nothing was published.
  if (trail.reason === "ENQUEUE_FAILED") return { required: [], allowed: [] };
  const final = trail.status === "FILLED" ? "filled" : trail.status === "REJECTED" ? "rejected" : undefined;
  // In flight: its events go out once it is final. (Trails recorded before may hold `accepted` already.)
  if (!final) return { required: [], allowed: ["accepted"] };
  // Final but not yet notified: its events may still be on their way.
  return { required: trail.notified ? ["accepted", final] : [], allowed: ["accepted", final] };
}

/** What is wrong with one order's trail, or undefined when it is complete. */
export function trailProblem(trail: OrderTrail): string | undefined {
  const { required, allowed } = expectedEvents(trail);
  const counts = new Map<string, number>();
  for (const type of trail.events) counts.set(type, (counts.get(type) ?? 0) + 1);
  const doubled = [...counts].filter(([, count]) => count > 1).map(([type]) => type);
  if (doubled.length > 0) return `doubled: ${doubled.join(", ")}`;
  const unexpected = trail.events.filter((type) => !allowed.includes(type));
  if (unexpected.length > 0) return `unexpected for ${trail.status}: ${unexpected.join(", ")}`;
  const missing = required.filter((type) => !counts.has(type));
  if (missing.length > 0) return `missing: ${missing.join(", ")}`;
  return undefined;
}

/** One summary check for all the orders, and one check per order whose trail is not complete. */
export function auditEventTrails(trails: readonly OrderTrail[]): LedgerCheck[] {
  const problems = trails.flatMap((trail) => {
    const problem = trailProblem(trail);
    return problem ? [{ trail, problem }] : [];
  });
  const complete = trails.length - problems.length;
  return [
    { name: "orders whose event trail matches their state", expected: String(trails.length), actual: String(complete), ok: problems.length === 0 },
    ...problems.map(({ trail, problem }) => ({
      name: `order ${trail.orderId} events (${trail.status})`,
      expected: expectedEvents(trail).required.join(", ") || "none",
      actual: `${trail.events.join(", ") || "none"} — ${problem}`,
      ok: false,
    })),
  ];
}
