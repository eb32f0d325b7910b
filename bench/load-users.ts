/**
 * The users a load test signs in as (bench-N, chaos-N), made the way the seed makes the
 * demo users: a profile whose e-mail is encrypted under the personal-data key (send-email
 * needs it to deliver) and a scrypt password hash. The password is made up per run and
 * never written anywhere. A user an earlier run left keeps its account, so its ledger
 * still balances, and gets this run's password.
 */
import { randomBytes } from "node:crypto";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Cents, Currency } from "../domain/money.ts";
import { profileKey } from "../adapters/keys.ts";
import { createUser, setPassword, type UserAdminTarget } from "../ops/user-admin.ts";
import { UserExistsError } from "../ops/errors.ts";

export interface LoadTestUser {
  readonly userId: string;
  readonly name: string;
  readonly email: string;
  readonly cash: Readonly<Record<Currency, Cents>>;
}

/** A fresh password for this run's load-test users. */
export const runPassword = (): string => `load-${randomBytes(18).toString("base64url")}`;

/** Hashing is scrypt at 32 MiB: a few at a time keeps memory and the thread pool in bounds. */
const AT_ONCE = 4;

const conditionFailed = (error: unknown) => error instanceof Error && error.name === "ConditionalCheckFailedException";

export async function ensureLoadTestUsers(target: UserAdminTarget, users: readonly LoadTestUser[], password: string): Promise<{ created: number; existing: number }> {
  let created = 0;
  let existing = 0;
  const one = async (user: LoadTestUser): Promise<void> => {
    try {
      await createUser(target, { ...user, password });
      created++;
      return;
    } catch (error) {
      if (!(error instanceof UserExistsError)) throw error;
    }
    existing++;
    await setPassword(target, user.userId, password);
    // A profile from before e-mails were encrypted: without the encrypted one, its notifications fail.
    const encryptedEmail = await target.cipher.encrypt(user.email, { purpose: "personal-data", userId: user.userId });
    await target.client
      .send(
        new UpdateCommand({
          TableName: target.usersTable,
          Key: profileKey(user.userId),
          UpdateExpression: "SET encryptedEmail = :encrypted REMOVE email",
          ConditionExpression: "attribute_not_exists(encryptedEmail)",
          ExpressionAttributeValues: { ":encrypted": encryptedEmail },
        }),
      )
      .catch((failure: unknown) => {
        if (!conditionFailed(failure)) throw failure;
      });
  };
  for (let i = 0; i < users.length; i += AT_ONCE) await Promise.all(users.slice(i, i + AT_ONCE).map(one));
  return { created, existing };
}
