import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Order, OrderEvent, RejectionReason } from "../domain/order.ts";
import { documentClient } from "./aws-clients.ts";
import { idempotencyKey, orderKey, profileKey, USER_ORDERS_INDEX } from "./keys.ts";
import { eventToItem, itemToEvent, itemToOrder, orderToItem } from "./order-items.ts";
import { decodePageToken, encodePageToken } from "./page-token.ts";
import type { AcceptOrderInput, AcceptOrderResult, OrderPage, OrderStore, RejectOptions } from "./ports.ts";
import { failedConditions } from "./transaction-errors.ts";

/** BatchGetItem reads at most 100 keys per request. */
const BATCH_GET_LIMIT = 100;
/** Keys DynamoDB leaves unprocessed (throttling) are asked for again, with backoff, this many times in all. */
const BATCH_GET_ATTEMPTS = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Orders, their history and idempotency records in the transactions table. */
export class DynamoOrderStore implements OrderStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly usersTableName: string | undefined;

  /**
   * `usersTableName`: where accept() checks, in the same transaction, that the order's user
   * exists (one request instead of a read and a write); only stores that accept need it.
   */
  constructor(
    private readonly tableName: string,
    options: { readonly client?: DynamoDBDocumentClient; readonly usersTableName?: string } = {},
  ) {
    this.client = options.client ?? documentClient;
    this.usersTableName = options.usersTableName;
  }

  async accept({ order, idempotency }: AcceptOrderInput): Promise<AcceptOrderResult> {
    if (this.usersTableName === undefined) throw new Error("this order store was made without the users table, which accept() checks");
    const TableName = this.tableName;
    const notThere = "attribute_not_exists(pk)";
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]["TransactItems"]> = [
      { Put: { TableName, Item: orderToItem(order), ConditionExpression: notThere } },
      { Put: { TableName, Item: eventToItem(order.orderId, 1, { status: "ACCEPTED", at: order.createdAt }), ConditionExpression: notThere } },
    ];
    const keyIndex = idempotency ? items.length : -1;
    if (idempotency) {
      const record = { ...idempotencyKey(idempotency.key), orderId: order.orderId, requestHash: idempotency.requestHash, createdAt: order.createdAt };
      items.push({ Put: { TableName, Item: record, ConditionExpression: notThere } });
    }
    const userIndex = items.length;
    items.push({ ConditionCheck: { TableName: this.usersTableName, Key: profileKey(order.userId), ConditionExpression: "attribute_exists(pk)" } });
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
      return { kind: "CREATED", order };
    } catch (error) {
      const failed = failedConditions(error);
      // A failed condition on the key's record means the key was used before.
      if (idempotency && failed?.includes(keyIndex)) return this.replay(idempotency.key, idempotency.requestHash);
      if (failed?.includes(userIndex)) return { kind: "USER_NOT_FOUND" };
      throw error;
    }
  }

  private async replay(key: string, requestHash: string): Promise<AcceptOrderResult> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: idempotencyKey(key), ConsistentRead: true }));
    if (!Item || Item.requestHash !== requestHash) return { kind: "KEY_REUSED" };
    const order = await this.get(String(Item.orderId));
    if (!order) throw new Error(`idempotency key points to missing order ${String(Item.orderId)}`);
    return { kind: "REPLAYED", order };
  }

  async get(orderId: string): Promise<Order | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: orderKey(orderId), ConsistentRead: true }));
    return Item ? itemToOrder(Item) : undefined;
  }

  async getMany(orderIds: readonly string[]): Promise<Map<string, Order>> {
    const found = new Map<string, Order>();
    const unique = [...new Set(orderIds)];
    for (let start = 0; start < unique.length; start += BATCH_GET_LIMIT) {
      let keys: Record<string, unknown>[] = unique.slice(start, start + BATCH_GET_LIMIT).map(orderKey);
      for (let attempt = 1; keys.length > 0; attempt++) {
        if (attempt > BATCH_GET_ATTEMPTS) throw new Error(`${keys.length} orders still unprocessed after ${BATCH_GET_ATTEMPTS} BatchGetItem attempts`);
        if (attempt > 1) await sleep(20 * 2 ** attempt);
        const result = await this.client.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }));
        for (const item of result.Responses?.[this.tableName] ?? []) {
          const order = itemToOrder(item);
          found.set(order.orderId, order);
        }
        keys = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return found;
  }

  async history(orderId: string): Promise<OrderEvent[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :events)",
        ExpressionAttributeValues: { ":pk": orderKey(orderId).pk, ":events": "EVENT#" },
        ConsistentRead: true,
      }),
    );
    return Items.map(itemToEvent);
  }

  async reject(order: Order, reason: RejectionReason, at: string, options: RejectOptions = {}): Promise<boolean> {
    const TableName = this.tableName;
    // An order the client was told about at once leaves the attention index with its rejection.
    const settle = options.withoutNotification ? " REMOVE gsi2pk, gsi2sk" : "";
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]["TransactItems"]> = [
      {
        Update: {
          TableName,
          Key: orderKey(order.orderId),
          UpdateExpression: `SET #status = :rejected, reason = :reason, updatedAt = :at${settle}`,
          ConditionExpression: "#status = :accepted",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":rejected": "REJECTED", ":accepted": "ACCEPTED", ":reason": reason, ":at": at },
        },
      },
      { Put: { TableName, Item: eventToItem(order.orderId, 2, { status: "REJECTED", at, reason }) } },
    ];
    // A key whose order never reached the queue is freed, so the client's retry can place the order.
    if (options.releaseIdempotencyKey) items.push({ Delete: { TableName, Key: idempotencyKey(options.releaseIdempotencyKey) } });
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (failedConditions(error)?.includes(0)) return false;
      throw error;
    }
  }

  async listByUser(userId: string, limit: number, nextToken?: string): Promise<OrderPage> {
    const gsi1pk = `USER#${userId}`;
    const startKey = nextToken ? decodePageToken(nextToken, { pk: undefined, sk: undefined, gsi1pk, gsi1sk: undefined }) : undefined;
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: USER_ORDERS_INDEX,
        KeyConditionExpression: "gsi1pk = :user",
        ExpressionAttributeValues: { ":user": gsi1pk },
        ScanIndexForward: false,
        Limit: limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    return { orders: Items.map(itemToOrder), ...(LastEvaluatedKey ? { nextToken: encodePageToken(LastEvaluatedKey) } : {}) };
  }
}
