/** Password hashes and failed sign-in counts, in the users table. */
import { DeleteCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { LOGIN_GUARD, type FailedAttempts } from "../domain/identity/login-attempts.ts";
import { documentClient } from "./aws-clients.ts";
import type { CredentialStore, LoginAttemptStore } from "./identity-ports.ts";
import { credentialsKey, EXPIRES_AT, loginAttemptsKey, profileKey } from "./keys.ts";

const isConditionFailure = (error: unknown) => error instanceof Error && error.name === "ConditionalCheckFailedException";

export class DynamoCredentialStore implements CredentialStore {
  constructor(
    private readonly tableName: string,
    private readonly client: DynamoDBDocumentClient = documentClient,
  ) {}

  async passwordHashOf(userId: string): Promise<string | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: credentialsKey(userId), ConsistentRead: true }));
    return typeof Item?.passwordHash === "string" ? Item.passwordHash : undefined;
  }

  async userExists(userId: string): Promise<boolean> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: profileKey(userId), ProjectionExpression: "pk" }));
    return Item !== undefined;
  }
}

export class DynamoLoginAttemptStore implements LoginAttemptStore {
  constructor(
    private readonly tableName: string,
    private readonly client: DynamoDBDocumentClient = documentClient,
    private readonly windowSeconds: number = LOGIN_GUARD.windowSeconds,
  ) {}

  async failedAttempts(userId: string): Promise<FailedAttempts | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: loginAttemptsKey(userId), ConsistentRead: true }));
    if (!Item) return undefined;
    return { failures: Number(Item.failures ?? 0), windowStart: Number(Item.windowStart ?? 0) };
  }

  async recordFailure(userId: string, nowSeconds: number): Promise<void> {
    const Key = loginAttemptsKey(userId);
    try {
      // Count into the current window while it lasts…
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key,
          UpdateExpression: "ADD failures :one",
          ConditionExpression: "windowStart > :cutoff",
          ExpressionAttributeValues: { ":one": 1, ":cutoff": nowSeconds - this.windowSeconds },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // …else open a new one. DynamoDB's TTL removes the item some time after it ends.
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key,
          UpdateExpression: "SET failures = :one, windowStart = :now, #expires = :expires",
          ExpressionAttributeNames: { "#expires": EXPIRES_AT },
          ExpressionAttributeValues: { ":one": 1, ":now": nowSeconds, ":expires": nowSeconds + this.windowSeconds },
        }),
      );
    }
  }

  async clear(userId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: loginAttemptsKey(userId) }));
  }
}
