/**
 * `npm run users` as an operator runs it against a deployed stack: a created user can
 * sign in and trade, a new password replaces the old one, a deleted user cannot sign in.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { runUsersCommand } from "../../ops/users-command.ts";
import { ApiClient } from "./support/api-client.ts";
import { startTarget, targetName, type E2eTarget } from "./support/target.ts";

describe(`npm run users on ${targetName}`, () => {
  let target: E2eTarget;
  let api: ApiClient;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    target = await startTarget();
    api = target.client("loadTest");
    const outputs = target.outputs.Brokerage ?? {};
    env = { ...process.env, ...target.awsEnv, USERS_TABLE: outputs.UsersTableName, PERSONAL_DATA_KEY_ARN: outputs.PersonalDataKeyArn };
  });
  after(async () => target?.stop());

  const users = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
    let out = "";
    let err = "";
    const code = await runUsersCommand(argv, { out: (text) => void (out += text), err: (text) => void (err += text), env });
    return { code, out, err };
  };
  const signInStatus = async (userId: string, password: string): Promise<number> => (await api.signIn(userId, password)).status;

  test("create: the new user signs in, sees their own account and starts with the cash given", async () => {
    const created = await users("create", "--user-id", "901", "--name", "Dora Alves", "--email", "dora@example.com", "--password", "first-pass-901", "--cash", "2500.00");
    assert.equal(created.code, 0, created.err);
    assert.match(created.out, /created user 901/);
    assert.equal(await signInStatus("901", "first-pass-901"), 201);
    const dora = new ApiClient(api.apiUrl, api.apiKey, { "901": "first-pass-901" });
    const account = await dora.get<{ cash: Record<string, string>; email?: string }>("901", "users/901");
    assert.equal(account.status, 200);
    assert.deepEqual(account.body.cash, { BRL: "2500.00", USD: "2500.00" });
    assert.equal(account.body.email, undefined);

    const again = await users("create", "--user-id", "901", "--name", "Dora", "--email", "d@example.com", "--password", "another-pass");
    assert.equal(again.code, 1, "a user id that exists is not created again");
  });

  test("set-password replaces the password; delete stops sign-in", async () => {
    assert.equal((await users("create", "--user-id", "902", "--name", "Eli", "--email", "eli@example.com", "--password", "old-pass-902")).code, 0);
    assert.equal((await users("set-password", "--user-id", "902", "--password", "new-pass-902")).code, 0);
    assert.equal(await signInStatus("902", "old-pass-902"), 401);
    assert.equal(await signInStatus("902", "new-pass-902"), 201);
    const deleted = await users("delete", "--user-id", "902");
    assert.equal(deleted.code, 0, deleted.err);
    assert.equal(await signInStatus("902", "new-pass-902"), 401);
  });

  test("usage errors exit 2 with the usage; a short password is refused", async () => {
    const missing = await users("create", "--user-id", "903");
    assert.equal(missing.code, 2);
    assert.match(missing.err, /create needs --name, --email and --password/);
    assert.match(missing.err, /usage: npm run users/);
    const short = await users("create", "--user-id", "903", "--name", "F", "--email", "f@example.com", "--password", "short");
    assert.notEqual(short.code, 0);
    assert.equal(await signInStatus("903", "short"), 401);
  });
});
