/** The `users` command line: create, set-password and delete users as an operator. */
import { parseArgs } from "node:util";
import { centsFromDecimal } from "../domain/money.ts";
import { KmsFieldCipher } from "../adapters/kms-field-cipher.ts";
import { DEFAULT_OUTPUTS_FILE, documentClientFromEnv, explain, kmsClientFromEnv, personalDataKeyArn, readStackOutputs } from "./environment.ts";
import { UsageError } from "./errors.ts";
import { createUser, deleteUser, setPassword } from "./user-admin.ts";
import type { CommandIo } from "./dlq-command.ts";

export const USERS_USAGE = `usage: npm run users -- create --user-id <id> --name <name> --email <address> --password <password> [--cash <amount>]
       npm run users -- set-password --user-id <id> --password <password>
       npm run users -- delete --user-id <id>
The users table and the personal-data key come from USERS_TABLE and PERSONAL_DATA_KEY_ARN, else cdk-outputs.json (or --outputs).
--cash gives the new user that amount in BRL and in USD (default 0.00).
Exit code: 0 on success, 1 when the change failed, 2 on a usage error.
`;

export async function runUsersCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const env = io.env ?? process.env;
  const client = documentClientFromEnv(env);
  const kms = kmsClientFromEnv(env);
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...argv],
        allowPositionals: true,
        options: { "user-id": { type: "string" }, name: { type: "string" }, email: { type: "string" }, password: { type: "string" }, cash: { type: "string" }, outputs: { type: "string" }, help: { type: "boolean", short: "h" } },
      });
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.out(USERS_USAGE);
      return 0;
    }
    const [action, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const userId = values["user-id"];
    if (!userId) throw new UsageError("--user-id is required");
    const outputs = readStackOutputs(values.outputs ?? DEFAULT_OUTPUTS_FILE, values.outputs !== undefined);
    const usersTable = env.USERS_TABLE ?? outputs?.UsersTableName;
    if (!usersTable) throw new UsageError("set USERS_TABLE or deploy first so cdk-outputs.json has Brokerage.UsersTableName");
    const target = { client, usersTable, cipher: new KmsFieldCipher(personalDataKeyArn(outputs, env), kms) };

    if (action === "create") {
      const { name, email, password } = values;
      if (!name || !email || !password) throw new UsageError("create needs --name, --email and --password");
      const cash = centsFromDecimal(values.cash ?? "0.00");
      await createUser(target, { userId, name, email, password, cash: { BRL: cash, USD: cash } });
      io.out(`created user ${userId}\n`);
    } else if (action === "set-password") {
      if (!values.password) throw new UsageError("set-password needs --password");
      await setPassword(target, userId, values.password);
      io.out(`set the password of user ${userId}\n`);
    } else if (action === "delete") {
      const removed = await deleteUser(target, userId);
      io.out(`deleted user ${userId} (${removed} items); their orders stay in the ledger\n`);
    } else {
      throw new UsageError(action ? `unknown action "${action}"` : "say create, set-password or delete");
    }
    return 0;
  } catch (error) {
    const explained = explain(error, env);
    io.err(`users: ${explained.message}\n${explained instanceof UsageError ? USERS_USAGE : ""}`);
    return explained instanceof UsageError ? 2 : 1;
  } finally {
    client.destroy();
    kms.destroy();
  }
}
