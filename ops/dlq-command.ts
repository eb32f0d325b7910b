/** The `dlq` command line: arguments in, text or JSON out, an exit code back. */
import { parseArgs } from "node:util";
import { discoverPairs, pairsFromOutputs, selectPair, type DeadLetterQueuePair } from "./dead-letter-queues.ts";
import { listDeadLetterQueues } from "./dlq-list.ts";
import { redrive } from "./dlq-redrive.ts";
import { formatDeadLetterQueues, formatRedrive } from "./dlq-report.ts";
import { DEFAULT_OUTPUTS_FILE, documentClientFromEnv, explain, readStackOutputs, sqsClientFromEnv } from "./environment.ts";
import { UnknownQueueError, UsageError } from "./errors.ts";

export const DLQ_USAGE = `usage: npm run dlq -- list [--json] [--outputs <file>]
       npm run dlq -- redrive <orders|push|email|DLQ URL> [--dry-run] [--json] [--outputs <file>]
Endpoint, region and credentials come from the environment (AWS_ENDPOINT_URL, AWS_REGION, ...).
Queues come from the Brokerage stack in cdk-outputs.json (or --outputs), else from ListQueues.
Exit code: 0 on success, 1 when the queues could not be read or a message could not be moved, 2 on a usage error.
`;

export interface CommandIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { json: { type: "boolean" }, "dry-run": { type: "boolean" }, outputs: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export async function runDlqCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const env = io.env ?? process.env;
  const sqs = sqsClientFromEnv(env);
  const dynamo = documentClientFromEnv(env);
  try {
    const { values, positionals } = parse(argv);
    const [action, queue, ...extra] = positionals;
    if (values.help) {
      io.out(DLQ_USAGE);
      return 0;
    }
    if (action !== "list" && action !== "redrive") throw new UsageError(action ? `unknown action "${action}"` : "say list or redrive");
    if (action === "redrive" && !queue) throw new UsageError("redrive needs a queue: orders, push, email or a DLQ URL");
    if (extra.length > 0 || (action === "list" && queue)) throw new UsageError(`unexpected argument "${extra[0] ?? queue}"`);

    const outputs = readStackOutputs(values.outputs ?? DEFAULT_OUTPUTS_FILE, values.outputs !== undefined);
    const pairs: DeadLetterQueuePair[] = outputs ? pairsFromOutputs(outputs) : await discoverPairs(sqs);

    if (action === "list") {
      const transactionsTable = env.TRANSACTIONS_TABLE ?? outputs?.TransactionsTableName;
      const views = await listDeadLetterQueues(sqs, pairs, transactionsTable ? { orders: { client: dynamo, transactionsTable } } : {});
      io.out(values.json ? `${JSON.stringify(views, null, 2)}\n` : formatDeadLetterQueues(views));
      return 0;
    }
    const result = await redrive(sqs, selectPair(pairs, String(queue)), { dryRun: values["dry-run"] === true });
    io.out(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatRedrive(result));
    return result.failed > 0 || result.sentNotDeleted > 0 ? 1 : 0;
  } catch (error) {
    const problem = explain(error, env);
    io.err(`dlq: ${problem.message}\n${problem instanceof UsageError ? DLQ_USAGE : ""}`);
    return problem instanceof UsageError || problem instanceof UnknownQueueError ? 2 : 1;
  } finally {
    sqs.destroy();
    dynamo.destroy();
  }
}
