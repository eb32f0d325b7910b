/** The ledger audit as text for people. */
import type { LedgerAudit } from "./ledger-audit.ts";
import { formatTable } from "./text-table.ts";

export function formatAudit(audit: LedgerAudit): string {
  const verdict = audit.ok ? "OK" : `${audit.checks.filter((c) => !c.ok).length} DIFFERENCE(S)`;
  const rows = audit.checks.map((c) => [c.ok ? "ok" : "DIFF", c.name, c.expected, c.actual]);
  return [`user ${audit.userId}: ${audit.tradesReplayed} trade(s) replayed, ${verdict}`, ...formatTable(["", "CHECK", "EXPECTED", "ACTUAL"], rows), ""].join("\n");
}
