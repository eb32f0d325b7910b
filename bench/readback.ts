import { BatchGetCommand, QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/** What the transactions table says about one accepted order. */
export interface OrderRecord {
  readonly orderId: string;
  readonly status: string;
  readonly reason?: string;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms of the last change (the fill or the rejection for a final order). */
  readonly updatedAt: number;
}

export const isFinal = (record: OrderRecord | undefined): boolean => record?.status === "FILLED" || record?.status === "REJECTED";

/** Reads ORDER items 100 keys per request, retrying keys the table left unprocessed. */
export async function readOrders(client: DynamoDBDocumentClient, table: string, orderIds: readonly string[]): Promise<Map<string, OrderRecord>> {
  const found = new Map<string, OrderRecord>();
  for (let i = 0; i < orderIds.length; i += 100) {
    let keys: Record<string, unknown>[] = orderIds.slice(i, i + 100).map((id) => ({ pk: `ORDER#${id}`, sk: "ORDER" }));
    for (let attempt = 0; keys.length > 0 && attempt < 10; attempt++) {
      const out = await client.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ProjectionExpression: "orderId, #s, reason, createdAt, updatedAt", ExpressionAttributeNames: { "#s": "status" } } } }),
      );
      for (const item of out.Responses?.[table] ?? []) {
        const record = toRecord(item);
        if (record) found.set(record.orderId, record);
      }
      keys = (out.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined) ?? [];
    }
  }
  return found;
}

function toRecord(item: Record<string, unknown>): OrderRecord | undefined {
  const { orderId, status, reason, createdAt, updatedAt } = item;
  if (typeof orderId !== "string" || typeof status !== "string" || typeof createdAt !== "string") return undefined;
  const created = Date.parse(createdAt);
  return {
    orderId,
    status,
    ...(typeof reason === "string" ? { reason } : {}),
    createdAt: created,
    updatedAt: typeof updatedAt === "string" ? Date.parse(updatedAt) : created,
  };
}

/**
 * Re-reads the orders that are not final yet, once a second, until all are final or the
 * deadline passes. Returns every record seen; what is still not final by then is "lost".
 */
export async function waitUntilFinal(
  client: DynamoDBDocumentClient,
  table: string,
  orderIds: readonly string[],
  timeoutMs: number,
): Promise<Map<string, OrderRecord>> {
  const deadline = Date.now() + timeoutMs;
  const records = await readOrders(client, table, orderIds);
  let open = orderIds.filter((id) => !isFinal(records.get(id)));
  while (open.length > 0 && Date.now() < deadline) {
    await new Promise((done) => setTimeout(done, 1000));
    for (const [id, record] of await readOrders(client, table, open)) records.set(id, record);
    open = open.filter((id) => !isFinal(records.get(id)));
  }
  return records;
}

/**
 * Order ids of the given users created at or after `fromIso`, from the "a user's orders"
 * index. This finds orders whose 202 came after the client gave up (a timeout still may
 * have placed an order), so they are followed to the end like the others.
 */
export async function ordersPlacedSince(client: DynamoDBDocumentClient, table: string, userIds: readonly string[], fromIso: string): Promise<string[]> {
  const ids: string[] = [];
  for (const userId of userIds) {
    let startKey: Record<string, unknown> | undefined;
    for (let page = 0; page < 1000; page++) {
      const out = await client.send(
        new QueryCommand({
          TableName: table,
          IndexName: "gsi1",
          KeyConditionExpression: "gsi1pk = :u AND gsi1sk >= :from",
          ExpressionAttributeValues: { ":u": `USER#${userId}`, ":from": fromIso },
          ProjectionExpression: "orderId",
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of out.Items ?? []) if (typeof item.orderId === "string") ids.push(item.orderId);
      startKey = out.LastEvaluatedKey;
      if (!startKey) break;
    }
  }
  return ids;
}
