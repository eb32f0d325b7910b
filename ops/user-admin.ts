/**
 * Creating, re-keying and deleting users, for operators and the seed: the profile
 * (with the e-mail encrypted under the personal-data key) and the password hash.
 */
import { DeleteCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import type { Cents, Currency } from "../domain/money.ts";
import { hashPassword } from "../domain/identity/password.ts";
import type { FieldCipher } from "../adapters/identity-ports.ts";
import { credentialsKey, loginAttemptsKey, profileKey, userKey } from "../adapters/keys.ts";
import { UsageError, UserExistsError, UserNotFoundError } from "./errors.ts";

export interface UserAdminTarget {
  readonly client: DynamoDBDocumentClient;
  readonly usersTable: string;
  readonly cipher: FieldCipher;
}

export interface NewUser {
  readonly userId: string;
  readonly name: string;
  readonly email: string;
  readonly password: string;
  readonly cash: Readonly<Record<Currency, Cents>>;
}

const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const MIN_PASSWORD_LENGTH = 8;

export function checkNewUser(user: NewUser): NewUser {
  if (!USER_ID.test(user.userId)) throw new UsageError(`user id must be 1 to 64 letters, digits, "-" or "_", got "${user.userId}"`);
  if (user.name.trim() === "") throw new UsageError("name must not be empty");
  if (!EMAIL.test(user.email)) throw new UsageError(`"${user.email}" is not an e-mail address`);
  checkPassword(user.password);
  return user;
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new UsageError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
}

/** The items of a new user: the profile and the credentials. */
export async function userItems(user: NewUser, cipher: FieldCipher, now = new Date()) {
  const encryptedEmail = await cipher.encrypt(user.email, { purpose: "personal-data", userId: user.userId });
  const profile = {
    ...profileKey(user.userId),
    type: "USER",
    userId: user.userId,
    name: user.name,
    encryptedEmail,
    cash: user.cash,
    initialCash: user.cash,
    tradeVersion: 0,
    createdAt: now.toISOString(),
  };
  const credentials = { ...credentialsKey(user.userId), passwordHash: await hashPassword(user.password), updatedAt: now.toISOString() };
  return { profile, credentials };
}

const cancelled = (error: unknown): error is TransactionCanceledException => error instanceof Error && error.name === "TransactionCanceledException";

/** Creates the user; UserExistsError when the id is taken. */
export async function createUser(target: UserAdminTarget, user: NewUser): Promise<void> {
  const { profile, credentials } = await userItems(checkNewUser(user), target.cipher);
  try {
    await target.client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: target.usersTable, Item: profile, ConditionExpression: "attribute_not_exists(pk)" } },
          { Put: { TableName: target.usersTable, Item: credentials } },
        ],
      }),
    );
  } catch (error) {
    if (cancelled(error)) throw new UserExistsError(`user ${user.userId} already exists`);
    throw error;
  }
}

/** Replaces the user's password and lifts a sign-in lockout. */
export async function setPassword(target: UserAdminTarget, userId: string, password: string): Promise<void> {
  checkPassword(password);
  const credentials = { ...credentialsKey(userId), passwordHash: await hashPassword(password), updatedAt: new Date().toISOString() };
  try {
    await target.client.send(
      new TransactWriteCommand({
        TransactItems: [
          { ConditionCheck: { TableName: target.usersTable, Key: profileKey(userId), ConditionExpression: "attribute_exists(pk)" } },
          { Put: { TableName: target.usersTable, Item: credentials } },
        ],
      }),
    );
  } catch (error) {
    if (cancelled(error)) throw new UserNotFoundError(`user ${userId} does not exist`);
    throw error;
  }
  await target.client.send(new DeleteCommand({ TableName: target.usersTable, Key: loginAttemptsKey(userId) }));
}

/**
 * Deletes every item of the user (profile, credentials, positions); their tokens stop
 * working at once, since the authorizer checks the profile (after its 60 s cache).
 * Orders stay in the transactions table: they are the ledger.
 */
export async function deleteUser(target: UserAdminTarget, userId: string): Promise<number> {
  const keys: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await target.client.send(
      new QueryCommand({
        TableName: target.usersTable,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": userKey(userId).pk },
        ProjectionExpression: "pk, sk",
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    keys.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  if (!keys.some((key) => key.sk === "PROFILE")) throw new UserNotFoundError(`user ${userId} does not exist`);
  // The profile goes first, so a failure half-way leaves no usable account behind.
  const ordered = [...keys].sort((a, b) => Number(b.sk === "PROFILE") - Number(a.sk === "PROFILE"));
  for (const Key of [...ordered, loginAttemptsKey(userId)]) await target.client.send(new DeleteCommand({ TableName: target.usersTable, Key }));
  return keys.length;
}
