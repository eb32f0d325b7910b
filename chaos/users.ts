import { PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { centsFromDecimal } from "../domain/money.ts";
import { chaosUserId } from "./order-plan.ts";

/** Enough for most buys, not all: INSUFFICIENT_FUNDS must show up as a normal rejection. */
export const CHAOS_CASH = { BRL: centsFromDecimal("20000.00"), USD: centsFromDecimal("30000.00") };

/** Creates chaos-1 … chaos-N with cash = initialCash (so the ledger audit can replay them); existing users are left alone. */
export async function seedChaosUsers(client: DynamoDBDocumentClient, usersTable: string, count: number): Promise<void> {
  const one = async (n: number): Promise<void> => {
    const userId = chaosUserId(n);
    try {
      await client.send(
        new PutCommand({
          TableName: usersTable,
          Item: { pk: `USER#${userId}`, sk: "PROFILE", type: "USER", userId, name: `Chaos user ${n}`, email: `${userId}@example.com`, cash: CHAOS_CASH, initialCash: CHAOS_CASH, tradeVersion: 0, createdAt: new Date().toISOString() },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    } catch (error) {
      if (!(error instanceof Error && error.name === "ConditionalCheckFailedException")) throw error;
    }
  };
  for (let n = 1; n <= count; n += 10) await Promise.all(Array.from({ length: Math.min(10, count - n + 1) }, (_, k) => one(n + k)));
}
