/** Reads one user's orders and each order's audit items, for the event-trail audit. */
import { QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { auditOrderPartition, USER_ORDERS_INDEX } from "../adapters/keys.ts";
import type { OrderTrail } from "./event-trail-audit.ts";

type Item = Record<string, unknown>;

export interface EventTrailTables {
  readonly transactionsTable: string;
  readonly auditTable: string;
}

async function queryAll(client: DynamoDBDocumentClient, input: ConstructorParameters<typeof QueryCommand>[0]): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** The trail of every order of the user (one Query for the orders, one per order for its events). */
export async function loadEventTrails(client: DynamoDBDocumentClient, tables: EventTrailTables, userId: string): Promise<OrderTrail[]> {
  const orders = await queryAll(client, {
    TableName: tables.transactionsTable,
    IndexName: USER_ORDERS_INDEX,
    KeyConditionExpression: "gsi1pk = :user",
    ExpressionAttributeValues: { ":user": `USER#${userId}` },
  });
  const trails: OrderTrail[] = [];
  for (const order of orders) {
    const orderId = String(order.orderId);
    const events = await queryAll(client, {
      TableName: tables.auditTable,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": auditOrderPartition(orderId) },
      ConsistentRead: true,
    });
    trails.push({
      orderId,
      status: String(order.status),
      ...(typeof order.reason === "string" ? { reason: order.reason } : {}),
      notified: typeof order.notifiedAt === "string",
      events: events.map((event) => String(event.type)),
    });
  }
  return trails;
}
