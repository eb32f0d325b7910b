/** Reads what the stack holds about the chaos users' orders, and the depth of every queue. */
import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { ScanCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { DeadLetterQueuePair } from "../ops/dead-letter-queues.ts";
import { peekMessages } from "../ops/dlq-peek.ts";

export interface StoredOrder {
  readonly orderId: string;
  readonly userId: string;
  readonly status: string;
  readonly reason?: string;
  /** Items whose sort key starts with TRADE (one is a fill; more would be a double fill). */
  trades: number;
  /** EVENT items that record a FILLED status. */
  filledEvents: number;
  /** consolidate-portfolio queued its push and e-mail (the order's `notifiedAt`). */
  readonly notified: boolean;
}

type Item = Record<string, unknown>;

/** One scan of the transactions table: orders, their trades and events, for users whose id starts with `userPrefix`. */
export async function scanOrders(dynamo: DynamoDBDocumentClient, table: string, userPrefix: string): Promise<Map<string, StoredOrder>> {
  const orders = new Map<string, StoredOrder>();
  const trades = new Map<string, number>();
  const filledEvents = new Map<string, number>();
  let startKey: Item | undefined;
  for (let page = 0; page < 10_000; page++) {
    const answer = await dynamo.send(new ScanCommand({ TableName: table, ConsistentRead: true, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
    for (const item of answer.Items ?? []) {
      const pk = String(item.pk);
      const sk = String(item.sk);
      if (!pk.startsWith("ORDER#")) continue;
      const orderId = pk.slice("ORDER#".length);
      if (sk === "ORDER" && String(item.userId).startsWith(userPrefix)) {
        orders.set(orderId, { orderId, userId: String(item.userId), status: String(item.status), ...(item.reason ? { reason: String(item.reason) } : {}), trades: 0, filledEvents: 0, notified: item.notifiedAt !== undefined });
      } else if (sk.startsWith("TRADE")) {
        trades.set(orderId, (trades.get(orderId) ?? 0) + 1);
      } else if (sk.startsWith("EVENT#") && item.status === "FILLED") {
        filledEvents.set(orderId, (filledEvents.get(orderId) ?? 0) + 1);
      }
    }
    startKey = answer.LastEvaluatedKey;
    if (!startKey) break;
  }
  for (const order of orders.values()) {
    order.trades = trades.get(order.orderId) ?? 0;
    order.filledEvents = filledEvents.get(order.orderId) ?? 0;
  }
  return orders;
}

export async function queueDepth(sqs: SQSClient, url: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"] }),
  );
  return Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
}

export interface DeadLetterContents {
  readonly depth: number;
  /** Order ids read from the messages a peek could see (a FIFO queue shows only each group's head). */
  readonly orderIds: Set<string>;
  /** Message groups (users, on the orders queue) that have a message in the DLQ. */
  readonly groups: Set<string>;
}

export async function deadLetterContents(sqs: SQSClient, pair: DeadLetterQueuePair): Promise<DeadLetterContents> {
  const depth = await queueDepth(sqs, pair.deadLetterQueueUrl);
  const orderIds = new Set<string>();
  const groups = new Set<string>();
  if (depth === 0) return { depth, orderIds, groups };
  for (const message of await peekMessages(sqs, pair.deadLetterQueueUrl, { max: 10_000, visibilitySeconds: 10 })) {
    try {
      const body = JSON.parse(message.Body ?? "{}") as { orderId?: unknown };
      if (typeof body.orderId === "string") orderIds.add(body.orderId);
    } catch {
      // not an order message; it still counts in the depth
    }
    if (message.Attributes?.MessageGroupId) groups.add(message.Attributes.MessageGroupId);
  }
  return { depth, orderIds, groups };
}
