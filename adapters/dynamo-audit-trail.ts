import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { orderEventSchema, type OrderEvent } from "../functions/shared/order-events.ts";
import { documentClient } from "./aws-clients.ts";
import type { AuditTrail } from "./event-ports.ts";
import { auditEventKey, auditOrderPartition } from "./keys.ts";

/** The audit table: append-only, one item per event id, written with a conditional put. */
export class DynamoAuditTrail implements AuditTrail {
  constructor(
    private readonly tableName: string,
    private readonly client: DynamoDBDocumentClient = documentClient,
  ) {}

  async append(event: OrderEvent, recordedAt: string): Promise<boolean> {
    const item = {
      ...auditEventKey(event.orderId, event.type),
      eventId: event.eventId,
      type: event.type,
      orderId: event.orderId,
      userId: event.userId,
      occurredAt: event.occurredAt,
      recordedAt,
      event,
    };
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: "attribute_not_exists(pk)" }));
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === "ConditionalCheckFailedException") return false;
      throw error;
    }
  }

  async eventsOf(orderId: string): Promise<OrderEvent[]> {
    const events: OrderEvent[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": auditOrderPartition(orderId) },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      events.push(...Items.map((item) => orderEventSchema.parse(item.event)));
      startKey = LastEvaluatedKey;
    } while (startKey);
    return events;
  }
}
