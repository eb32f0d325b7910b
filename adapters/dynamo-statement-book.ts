import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { documentClient } from "./aws-clients.ts";
import type { StatementBook, StatementLine } from "./event-ports.ts";
import { statementLineKey, statementPartition } from "./keys.ts";

/** The statements table: a partition per user and day, one line per filled order. */
export class DynamoStatementBook implements StatementBook {
  constructor(
    private readonly tableName: string,
    private readonly client: DynamoDBDocumentClient = documentClient,
  ) {}

  async add(line: StatementLine): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({ TableName: this.tableName, Item: { ...statementLineKey(line.userId, line.day, line.orderId), ...line }, ConditionExpression: "attribute_not_exists(pk)" }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === "ConditionalCheckFailedException") return false;
      throw error;
    }
  }

  async linesOf(userId: string, day: string): Promise<StatementLine[]> {
    const lines: StatementLine[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": statementPartition(userId, day) },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const { pk: _pk, sk: _sk, ...line } of Items) lines.push(line as StatementLine);
      startKey = LastEvaluatedKey;
    } while (startKey);
    // Keyed by order id (one line per order, whatever the time); ordered by execution here.
    return lines.sort((a, b) => a.executedAt.localeCompare(b.executedAt) || a.orderId.localeCompare(b.orderId));
  }
}
