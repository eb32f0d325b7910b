import { PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { centsFromDecimal } from "../domain/money.ts";
import { benchUserId } from "./order-mix.ts";

/** Far more than any run can spend, so a buy is never rejected for lack of cash. */
export const BENCH_CASH = { BRL: centsFromDecimal("100000000.00"), USD: centsFromDecimal("100000000.00") };

/**
 * Creates users bench-1 … bench-N the way the seed script creates the demo users
 * (profile item, cash = initialCash); an existing user is left as it is, so the
 * ledger audit still balances after several runs.
 */
export async function seedBenchUsers(client: DynamoDBDocumentClient, usersTable: string, count: number): Promise<{ created: number; existing: number }> {
  let created = 0;
  let existing = 0;
  const one = async (n: number): Promise<void> => {
    const userId = benchUserId(n);
    try {
      await client.send(
        new PutCommand({
          TableName: usersTable,
          Item: { pk: `USER#${userId}`, sk: "PROFILE", type: "USER", userId, name: `Bench user ${n}`, email: `${userId}@example.com`, cash: BENCH_CASH, initialCash: BENCH_CASH, tradeVersion: 0, createdAt: new Date().toISOString() },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      created++;
    } catch (error) {
      if (!(error instanceof Error && error.name === "ConditionalCheckFailedException")) throw error;
      existing++;
    }
  };
  for (let n = 1; n <= count; n += 10) {
    await Promise.all(Array.from({ length: Math.min(10, count - n + 1) }, (_, k) => one(n + k)));
  }
  return { created, existing };
}
