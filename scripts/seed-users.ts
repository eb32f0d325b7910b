/**
 * Creates the demo users "1", "2" and "3" with BRL 100000.00 and USD 100000.00
 * each, only where they do not exist yet: running it twice never resets an
 * account that has traded. CLI: `tsx scripts/seed-users.ts`; the table comes
 * from USERS_TABLE or cdk-outputs.json; endpoint, region and credentials as the
 * operator tools read them (AWS_REGION, AWS_DEFAULT_REGION, else the profile).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { centsFromDecimal } from "../domain/money.ts";
import { documentClientFromEnv, explain } from "../ops/environment.ts";

const STARTING_CASH = { BRL: centsFromDecimal("100000.00"), USD: centsFromDecimal("100000.00") };

const DEMO_USERS = [
  { userId: "1", name: "Ana Souza", email: "ana.souza@example.com" },
  { userId: "2", name: "Bruno Lima", email: "bruno.lima@example.com" },
  { userId: "3", name: "Carla Mendes", email: "carla.mendes@example.com" },
] as const;

export async function seedDemoUsers(options: { usersTable: string; client?: DynamoDBDocumentClient }): Promise<{ created: string[]; existing: string[] }> {
  const client = options.client ?? DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const created: string[] = [];
  const existing: string[] = [];
  for (const user of DEMO_USERS) {
    try {
      await client.send(
        new PutCommand({
          TableName: options.usersTable,
          Item: { pk: `USER#${user.userId}`, sk: "PROFILE", type: "USER", ...user, cash: STARTING_CASH, initialCash: STARTING_CASH, tradeVersion: 0, createdAt: new Date().toISOString() },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      created.push(user.userId);
    } catch (error) {
      if (!(error instanceof Error && error.name === "ConditionalCheckFailedException")) throw error;
      existing.push(user.userId);
    }
  }
  return { created, existing };
}

export class SeedConfigurationError extends Error {
  override readonly name = "SeedConfigurationError";
}

/** USERS_TABLE, else the Brokerage stack's UsersTableName output in cdk-outputs.json (or CDK_OUTPUTS_FILE). */
export function usersTableFromEnvironment(cwd = process.cwd()): string {
  const fromEnv = process.env.USERS_TABLE;
  if (fromEnv) return fromEnv;
  const outputsFile = resolve(cwd, process.env.CDK_OUTPUTS_FILE ?? "cdk-outputs.json");
  if (existsSync(outputsFile)) {
    const outputs = JSON.parse(readFileSync(outputsFile, "utf8")) as { Brokerage?: { UsersTableName?: unknown } };
    const name = outputs.Brokerage?.UsersTableName;
    if (typeof name === "string" && name) return name;
  }
  throw new SeedConfigurationError("set USERS_TABLE or deploy first so cdk-outputs.json has Brokerage.UsersTableName");
}

async function main(): Promise<void> {
  const usersTable = usersTableFromEnvironment();
  // No region of our own: one pinned here would override AWS_DEFAULT_REGION and the profile's.
  const client = documentClientFromEnv();
  const { created, existing } = await seedDemoUsers({ usersTable, client });
  process.stdout.write(`seeded ${usersTable}: created [${created.join(", ")}], already there [${existing.join(", ")}]\n`);
  client.destroy();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`seed failed: ${explain(error).message}\n`);
    process.exitCode = 1;
  });
}
