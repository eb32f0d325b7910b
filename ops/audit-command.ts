/** The `audit` command line: checks one user's ledger and order events, or every user's with --all. */
import { parseArgs } from "node:util";
import { formatAudit } from "./audit-report.ts";
import { DEFAULT_OUTPUTS_FILE, documentClientFromEnv, explain, readStackOutputs } from "./environment.ts";
import { ConfigurationError, UsageError } from "./errors.ts";
import { auditEventTrails } from "./event-trail-audit.ts";
import { loadEventTrails } from "./event-trail-source.ts";
import { auditLedger, type LedgerAudit } from "./ledger-audit.ts";
import { listUserIds, loadLedgerSnapshot, type LedgerTables } from "./ledger-source.ts";
import type { CommandIo } from "./dlq-command.ts";

export const AUDIT_USAGE = `usage: npm run audit -- <userId> [--json] [--outputs <file>]
       npm run audit -- --all [--json] [--outputs <file>]
Exit code: 0 when every check holds, 1 on any difference, 2 when the audit could not run.
Tables come from USERS_TABLE / TRANSACTIONS_TABLE / AUDIT_TABLE or the Brokerage stack in cdk-outputs.json (or --outputs).
Each order's audit trail is checked too (accepted, then one final event matching its status) when the audit table is known.
`;

function tablesFrom(env: NodeJS.ProcessEnv, outputsFile: string | undefined): LedgerTables & { auditTable?: string } {
  const outputs = readStackOutputs(outputsFile ?? DEFAULT_OUTPUTS_FILE, outputsFile !== undefined);
  const usersTable = env.USERS_TABLE ?? outputs?.UsersTableName;
  const transactionsTable = env.TRANSACTIONS_TABLE ?? outputs?.TransactionsTableName;
  if (!usersTable || !transactionsTable) {
    throw new ConfigurationError("set USERS_TABLE and TRANSACTIONS_TABLE, or deploy first so cdk-outputs.json has the Brokerage stack");
  }
  const auditTable = env.AUDIT_TABLE ?? outputs?.AuditTableName;
  return { usersTable, transactionsTable, ...(auditTable ? { auditTable } : {}) };
}

export async function runAuditCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const env = io.env ?? process.env;
  const client = documentClientFromEnv(env);
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { all: { type: "boolean" }, json: { type: "boolean" }, outputs: { type: "string" } } });
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const { values, positionals } = parsed;
    if (values.all === (positionals.length > 0) || positionals.length > 1) throw new UsageError("give one userId or --all");
    const tables = tablesFrom(env, values.outputs);
    const userIds = values.all ? await listUserIds(client, tables.usersTable) : positionals;
    const audits: LedgerAudit[] = [];
    for (const userId of userIds) {
      const ledger = auditLedger(await loadLedgerSnapshot(client, tables, userId));
      if (!tables.auditTable) {
        audits.push(ledger);
        continue;
      }
      const trails = auditEventTrails(await loadEventTrails(client, { transactionsTable: tables.transactionsTable, auditTable: tables.auditTable }, userId));
      const checks = [...ledger.checks, ...trails];
      audits.push({ ...ledger, checks, ok: checks.every((c) => c.ok) });
    }
    io.out(values.json ? `${JSON.stringify(audits, null, 2)}\n` : audits.map(formatAudit).join("\n"));
    return audits.every((audit) => audit.ok) ? 0 : 1;
  } catch (error) {
    const problem = explain(error, env);
    io.err(`audit: ${problem.message}\n${problem instanceof UsageError ? AUDIT_USAGE : ""}`);
    return 2;
  } finally {
    client.destroy();
  }
}
