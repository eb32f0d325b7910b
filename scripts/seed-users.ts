/**
 * Creates the demo users "1", "2" and "3" with BRL 100000.00 and USD 100000.00 each
 * and the passwords demo-pass-1 … demo-pass-3, only where they do not exist yet:
 * running it twice never resets an account that has traded. E-mails are stored
 * encrypted under the stack's personal-data KMS key. After a deploy it also writes
 * .localcloud/demo-credentials.json (API URL, API keys, users) and prints it.
 * CLI: `tsx scripts/seed-users.ts`; names come from the environment (USERS_TABLE,
 * PERSONAL_DATA_KEY_ARN) or cdk-outputs.json.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { centsFromDecimal } from "../domain/money.ts";
import type { FieldCipher } from "../adapters/identity-ports.ts";
import { KmsFieldCipher } from "../adapters/kms-field-cipher.ts";
import { DEFAULT_OUTPUTS_FILE, documentClientFromEnv, explain, kmsClientFromEnv, personalDataKeyArn, readStackOutputs } from "../ops/environment.ts";
import { userItems } from "../ops/user-admin.ts";
import { writeDemoCredentials } from "../ops/demo-credentials.ts";

const STARTING_CASH = { BRL: centsFromDecimal("100000.00"), USD: centsFromDecimal("100000.00") };

export const DEMO_USERS = [
  { userId: "1", name: "Ana Souza", email: "ana.souza@example.com", password: "demo-pass-1" },
  { userId: "2", name: "Bruno Lima", email: "bruno.lima@example.com", password: "demo-pass-2" },
  { userId: "3", name: "Carla Mendes", email: "carla.mendes@example.com", password: "demo-pass-3" },
] as const;

export class SeedConfigurationError extends Error {
  override readonly name = "SeedConfigurationError";
}

const conditionFailed = (error: unknown) => error instanceof Error && error.name === "ConditionalCheckFailedException";

export interface SeedOptions {
  readonly usersTable: string;
  readonly client?: DynamoDBDocumentClient;
  /** Encrypts the e-mails; else a KmsFieldCipher on `personalDataKeyArn`. */
  readonly cipher?: FieldCipher;
  readonly personalDataKeyArn?: string;
}

export async function seedDemoUsers(options: SeedOptions): Promise<{ created: string[]; existing: string[] }> {
  const client = options.client ?? DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const cipher = options.cipher ?? (options.personalDataKeyArn ? new KmsFieldCipher(options.personalDataKeyArn) : undefined);
  if (!cipher) throw new SeedConfigurationError("seeding needs the personal-data key: pass cipher or personalDataKeyArn");
  const created: string[] = [];
  const existing: string[] = [];
  for (const { password, ...user } of DEMO_USERS) {
    const { profile, credentials } = await userItems({ ...user, password, cash: STARTING_CASH }, cipher);
    try {
      await client.send(new PutCommand({ TableName: options.usersTable, Item: profile, ConditionExpression: "attribute_not_exists(pk)" }));
      created.push(user.userId);
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      existing.push(user.userId);
      // A profile from before encryption: replace its plain e-mail with the encrypted one.
      await client
        .send(
          new UpdateCommand({
            TableName: options.usersTable,
            Key: { pk: profile.pk, sk: profile.sk },
            UpdateExpression: "SET encryptedEmail = :encrypted REMOVE email",
            ConditionExpression: "attribute_exists(email)",
            ExpressionAttributeValues: { ":encrypted": profile.encryptedEmail },
          }),
        )
        .catch((failure: unknown) => {
          if (!conditionFailed(failure)) throw failure;
        });
    }
    // Passwords are set once; `npm run users -- set-password` changes them.
    await client.send(new PutCommand({ TableName: options.usersTable, Item: credentials, ConditionExpression: "attribute_not_exists(pk)" })).catch((error: unknown) => {
      if (!conditionFailed(error)) throw error;
    });
  }
  return { created, existing };
}

/** USERS_TABLE, else the Brokerage stack's UsersTableName output in cdk-outputs.json (or CDK_OUTPUTS_FILE). */
export function usersTableFromEnvironment(cwd = process.cwd()): string {
  const fromEnv = process.env.USERS_TABLE;
  if (fromEnv) return fromEnv;
  const name = readStackOutputs(resolve(cwd, DEFAULT_OUTPUTS_FILE))?.UsersTableName;
  if (name) return name;
  throw new SeedConfigurationError("set USERS_TABLE or deploy first so cdk-outputs.json has Brokerage.UsersTableName");
}

async function main(): Promise<void> {
  const usersTable = usersTableFromEnvironment();
  const outputs = readStackOutputs(DEFAULT_OUTPUTS_FILE);
  // No region of our own: one pinned here would override AWS_DEFAULT_REGION and the profile's.
  const client = documentClientFromEnv();
  const kms = kmsClientFromEnv();
  const cipher = new KmsFieldCipher(personalDataKeyArn(outputs), kms);
  const { created, existing } = await seedDemoUsers({ usersTable, client, cipher });
  process.stdout.write(`seeded ${usersTable}: created [${created.join(", ")}], already there [${existing.join(", ")}]\n`);
  if (outputs) {
    const written = await writeDemoCredentials(outputs, DEMO_USERS.map(({ userId, password }) => ({ userId, password })));
    process.stdout.write(`demo credentials (also in ${written.file}):\n${JSON.stringify(written.credentials, null, 2)}\n`);
  }
  client.destroy();
  kms.destroy();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`seed failed: ${explain(error).message}\n`);
    process.exitCode = 1;
  });
}
