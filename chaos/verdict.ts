/** Turns what the client saw and what the stack holds into the numbers and the guarantees of the report. */
import { trailProblem, type OrderTrail } from "../ops/event-trail-audit.ts";
import type { LedgerAudit } from "../ops/ledger-audit.ts";
import type { PlacedOrder } from "./client.ts";
import type { NotificationCounts } from "./notifications.ts";
import type { DeadLetterContents, StoredOrder } from "./state.ts";

export interface ChaosNumbers {
  ordersPlanned: number;
  ordersSent: number;
  requests: number;
  connectionFailures: number;
  serverErrors: number;
  clientReplays: number;
  /** POST /sessions calls (one per user, more after a 401 or a failed sign-in). */
  signIns: number;
  /** Order requests answered 401, each followed by a new sign-in. */
  unauthorized: number;
  accepted: number;
  /** Requests answered 4xx by the API (by code), or never answered (client gave up). */
  refused: Record<string, number>;
  gaveUp: number;
  filled: number;
  rejected: Record<string, number>;
  inDeadLetterQueue: number;
  redriven: number;
  lost: number;
  lostOrderIds: string[];
  doubledOrders: number;
  filledTwice: number;
  filledTwiceOrderIds: string[];
  usersAudited: number;
  ledgerDifferences: number;
  ledgerFindings: string[];
  /** Orders in the table that no 202 told the client about (e.g. a key the client gave up on). */
  unacknowledgedOrders: number;
  notificationsPush: number;
  notificationsEmail: number;
  finalWithoutNotification: number;
  finalWithoutNotificationIds: string[];
  /** Orders whose audit trail was checked against their state. */
  eventTrailsAudited: number;
  /** Trails with an event missing, doubled or not matching the order's status. */
  eventTrailDifferences: number;
  eventTrailFindings: string[];
  queueDepthsAtEnd: Record<string, number>;
}

export interface VerdictInput {
  readonly planned: number;
  readonly placed: readonly PlacedOrder[];
  readonly signIns: number;
  readonly stored: ReadonlyMap<string, StoredOrder>;
  readonly ordersDlq: DeadLetterContents;
  readonly redriven: number;
  readonly audits: readonly LedgerAudit[];
  readonly notifications: NotificationCounts;
  /** The accepted orders' audit trails. */
  readonly trails: readonly OrderTrail[];
  readonly queueDepthsAtEnd: Record<string, number>;
}

const isFinal = (status: string | undefined) => status === "FILLED" || status === "REJECTED";
const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);
const sample = (ids: readonly string[]) => ids.slice(0, 50);

export function computeNumbers(input: VerdictInput): ChaosNumbers {
  const { placed, stored } = input;
  const acceptedIds = new Set(placed.flatMap((order) => [...order.orderIds]));
  const refused: Record<string, number> = {};
  for (const order of placed) if (order.finalStatus !== 202 && order.finalStatus !== 0) bump(refused, order.finalCode ?? String(order.finalStatus));

  let filled = 0;
  const rejected: Record<string, number> = {};
  const unresolved: StoredOrder[] = [];
  const missing: string[] = [];
  for (const orderId of acceptedIds) {
    const order = stored.get(orderId);
    if (!order) missing.push(orderId);
    else if (order.status === "FILLED") filled++;
    else if (order.status === "REJECTED") bump(rejected, order.reason ?? "UNKNOWN");
    else unresolved.push(order);
  }
  // A FIFO DLQ shows only each group's head: an unresolved order of a user whose group is
  // dead-lettered counts as in the DLQ, as long as the DLQ holds that many messages.
  const inDlq = unresolved.filter((order) => input.ordersDlq.orderIds.has(order.orderId));
  for (const order of unresolved) {
    if (inDlq.length >= input.ordersDlq.depth) break;
    if (!inDlq.includes(order) && input.ordersDlq.groups.has(order.userId)) inDlq.push(order);
  }
  const lostIds = [...missing, ...unresolved.filter((order) => !inDlq.includes(order)).map((order) => order.orderId)];

  const filledTwiceIds = [...stored.values()].filter((order) => order.trades > 1 || order.filledEvents > 1).map((order) => order.orderId);
  const versionFindings = input.audits.filter((audit) => audit.checks.some((c) => c.name.startsWith("tradeVersion") && !c.ok)).map((audit) => audit.userId);
  const ledgerFindings = input.audits.flatMap((audit) => audit.checks.filter((c) => !c.ok).map((c) => `${audit.userId}: ${c.name}: expected ${c.expected}, got ${c.actual}`));

  const finalAccepted = [...acceptedIds].filter((id) => isFinal(stored.get(id)?.status) && stored.get(id)?.reason !== "ENQUEUE_FAILED");
  const withoutNotification = finalAccepted.filter((id) => !input.notifications.push.has(id) && !input.notifications.email.has(id));
  const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
  const trailFindings = input.trails.flatMap((trail) => {
    const problem = trailProblem(trail);
    return problem ? [{ orderId: trail.orderId, problem, text: `${trail.orderId} (${trail.status}): ${trail.events.join(", ") || "no events"} — ${problem}` }] : [];
  });

  return {
    ordersPlanned: input.planned,
    ordersSent: placed.length,
    requests: placed.reduce((sum, order) => sum + order.attempts, 0),
    connectionFailures: placed.reduce((sum, order) => sum + order.connectionFailures, 0),
    serverErrors: placed.reduce((sum, order) => sum + order.serverErrors, 0),
    clientReplays: placed.filter((order) => order.replayed).length,
    signIns: input.signIns,
    unauthorized: placed.reduce((sum, order) => sum + order.unauthorized, 0),
    accepted: placed.filter((order) => order.orderIds.size > 0).length,
    refused,
    gaveUp: placed.filter((order) => order.finalStatus === 0 && order.orderIds.size === 0).length,
    filled,
    rejected,
    inDeadLetterQueue: inDlq.length,
    redriven: input.redriven,
    lost: lostIds.length,
    lostOrderIds: sample(lostIds),
    doubledOrders: placed.filter((order) => order.orderIds.size > 1).length,
    filledTwice: filledTwiceIds.length + versionFindings.length,
    filledTwiceOrderIds: sample([...filledTwiceIds, ...versionFindings.map((user) => `user ${user}: tradeVersion ≠ trades`)]),
    usersAudited: input.audits.length,
    ledgerDifferences: ledgerFindings.length,
    ledgerFindings: sample(ledgerFindings),
    unacknowledgedOrders: [...stored.keys()].filter((id) => !acceptedIds.has(id)).length,
    notificationsPush: total(input.notifications.push),
    notificationsEmail: total(input.notifications.email),
    finalWithoutNotification: withoutNotification.length,
    finalWithoutNotificationIds: sample(withoutNotification),
    eventTrailsAudited: input.trails.length,
    eventTrailDifferences: trailFindings.length,
    eventTrailFindings: sample(trailFindings.map((finding) => finding.text)),
    queueDepthsAtEnd: input.queueDepthsAtEnd,
  };
}

/** The guarantees that make the run fail, each with why. */
export function brokenGuarantees(numbers: ChaosNumbers): string[] {
  const broken: string[] = [];
  if (numbers.lost > 0) broken.push(`lost orders: ${numbers.lost} accepted orders are neither final nor in a DLQ`);
  if (numbers.filledTwice > 0) broken.push(`filled twice: ${numbers.filledTwice} (orders with more than one fill, or users whose tradeVersion ≠ trades)`);
  if (numbers.ledgerDifferences > 0) broken.push(`ledger differences: ${numbers.ledgerDifferences} failed audit checks`);
  if (numbers.eventTrailDifferences > 0) broken.push(`event trail differences: ${numbers.eventTrailDifferences} orders whose audit trail does not match their state (an event missing, doubled or wrong)`);
  if (numbers.doubledOrders > 0) broken.push(`doubled orders: ${numbers.doubledOrders} Idempotency-Keys produced more than one order`);
  return broken;
}
