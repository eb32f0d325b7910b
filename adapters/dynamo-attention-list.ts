import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Order } from "../domain/order.ts";
import { documentClient } from "./aws-clients.ts";
import { ATTENTION_INDEX, OPEN_ORDERS, orderKey, STUCK_ORDERS } from "./keys.ts";
import { itemToOrder } from "./order-items.ts";
import type { AttentionList } from "./ports.ts";

const PAGE_SIZE = 100;

/** The sparse gsi2 index of the transactions table: orders that are not yet settled. */
export class DynamoAttentionList implements AttentionList {
  constructor(
    private readonly tableName: string,
    private readonly client: DynamoDBDocumentClient = documentClient,
  ) {}

  async needingAttention(createdBefore: string, limit: number): Promise<Order[]> {
    const orders: Order[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: ATTENTION_INDEX,
          KeyConditionExpression: "gsi2pk = :open AND gsi2sk < :before",
          ExpressionAttributeValues: { ":open": OPEN_ORDERS, ":before": createdBefore },
          Limit: Math.min(PAGE_SIZE, limit - orders.length),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      orders.push(...Items.map(itemToOrder));
      startKey = LastEvaluatedKey;
    } while (startKey && orders.length < limit);
    return orders;
  }

  async markRequeued(orderId: string, at: string): Promise<boolean> {
    return this.conditionalUpdate(orderId, {
      UpdateExpression: "SET requeuedAt = :at ADD requeueCount :one",
      ConditionExpression: "#status = :accepted",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":at": at, ":one": 1, ":accepted": "ACCEPTED" },
    });
  }

  async markStuck(orderId: string): Promise<boolean> {
    return this.conditionalUpdate(orderId, {
      UpdateExpression: "SET gsi2pk = :stuck",
      ConditionExpression: "#status = :accepted AND gsi2pk = :open",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":stuck": STUCK_ORDERS, ":open": OPEN_ORDERS, ":accepted": "ACCEPTED" },
    });
  }

  async markNotified(orderId: string, at: string): Promise<boolean> {
    // Only a final order, only once; a stray id fails the status test, so no item is created.
    return this.conditionalUpdate(orderId, {
      UpdateExpression: "SET notifiedAt = :at REMOVE gsi2pk, gsi2sk",
      ConditionExpression: "#status IN (:filled, :rejected) AND attribute_not_exists(notifiedAt)",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":at": at, ":filled": "FILLED", ":rejected": "REJECTED" },
    });
  }

  private async conditionalUpdate(
    orderId: string,
    update: Pick<ConstructorParameters<typeof UpdateCommand>[0], "UpdateExpression" | "ConditionExpression" | "ExpressionAttributeNames" | "ExpressionAttributeValues">,
  ): Promise<boolean> {
    try {
      await this.client.send(new UpdateCommand({ TableName: this.tableName, Key: orderKey(orderId), ...update }));
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === "ConditionalCheckFailedException") return false;
      throw error;
    }
  }
}
