/** `npm run dlq -- list` and `npm run dlq -- redrive <queue>`; see ops/dlq-command.ts. */
import { runDlqCommand } from "../ops/dlq-command.ts";

process.exitCode = await runDlqCommand(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
