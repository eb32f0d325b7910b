/** Reads one user's orders and each order's audit items, for the event-trail audit. */
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoAuditTrail } from "../adapters/dynamo-audit-trail.ts";
import { USER_ORDERS_INDEX } from "../adapters/keys.ts";
import { queryAll } from "./ledger-source.ts";
import type { OrderTrail } from "./event-trail-audit.ts";

export interface EventTrailTables {
  readonly transactionsTable: string;
  readonly auditTable: string;
}

/** The trail of every order of the user (one Query for the orders, one per order for its events). */
export async function loadEventTrails(client: DynamoDBDocumentClient, tables: EventTrailTables, userId: string): Promise<OrderTrail[]> {
  const orders = await queryAll(client, {
    TableName: tables.transactionsTable,
    IndexName: USER_ORDERS_INDEX,
    KeyConditionExpression: "gsi1pk = :user",
    ExpressionAttributeValues: { ":user": `USER#${userId}` },
  });
  // The audit table as the events route reads it: its events only, not the screening marks beside them.
  const trail = new DynamoAuditTrail(tables.auditTable, client);
  const trails: OrderTrail[] = [];
  for (const order of orders) {
    const orderId = String(order.orderId);
    const events = await trail.eventsOf(orderId);
    trails.push({
      orderId,
      status: String(order.status),
      ...(typeof order.reason === "string" ? { reason: order.reason } : {}),
      notified: typeof order.notifiedAt === "string",
      events: events.map((event) => event.type),
    });
  }
  return trails;
}
