/** Reads the chaos users' audit trails and waits for the audit queue to be worked off. */
import type { SQSClient } from "@aws-sdk/client-sqs";
import { ScanCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { OrderTrail } from "../ops/event-trail-audit.ts";
import { queueDepth, type StoredOrder } from "./state.ts";

type Item = Record<string, unknown>;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** One scan of the audit table: each order's event types, for users whose id starts with `userPrefix`. */
export async function scanAuditEvents(dynamo: DynamoDBDocumentClient, table: string, userPrefix: string): Promise<Map<string, string[]>> {
  const events = new Map<string, string[]>();
  let startKey: Item | undefined;
  do {
    const answer = await dynamo.send(new ScanCommand({ TableName: table, ConsistentRead: true, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
    // Sorted by key within an order: accepted (EVENT#1) before the final state (EVENT#2).
    const items = (answer.Items ?? []).filter((item) => String(item.userId).startsWith(userPrefix)).sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
    for (const item of items) {
      const orderId = String(item.orderId);
      events.set(orderId, [...(events.get(orderId) ?? []), String(item.type)]);
    }
    startKey = answer.LastEvaluatedKey;
  } while (startKey);
  return events;
}

/** Each stored order with the events its audit trail holds. */
export function trailsOf(stored: ReadonlyMap<string, StoredOrder>, events: ReadonlyMap<string, readonly string[]>): OrderTrail[] {
  return [...stored.values()].map((order) => ({
    orderId: order.orderId,
    status: order.status,
    ...(order.reason ? { reason: order.reason } : {}),
    notified: order.notified,
    events: events.get(order.orderId) ?? [],
  }));
}

/** Polls every 2 s until the queue holds nothing (visible, in flight or delayed), or the time is up; true when it emptied. */
export async function awaitQueueEmpty(sqs: SQSClient, queueUrl: string, timeoutMs: number, say: (line: string) => void): Promise<boolean> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const depth = await queueDepth(sqs, queueUrl);
    if (depth === 0) return true;
    say(`audit queue: ${depth} events still to record`);
    await sleep(2000);
  }
  return false;
}
