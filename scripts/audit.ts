/** `npm run audit -- <userId>` or `npm run audit -- --all`; see ops/audit-command.ts. */
import { runAuditCommand } from "../ops/audit-command.ts";

process.exitCode = await runAuditCommand(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
