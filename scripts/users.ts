/** `npm run users -- create|set-password|delete …`; see ops/users-command.ts. */
import { runUsersCommand } from "../ops/users-command.ts";

process.exitCode = await runUsersCommand(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
