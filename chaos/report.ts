import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ChaosOptions } from "./options.ts";
import type { ChaosNumbers } from "./verdict.ts";

export interface ChaosReport {
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly options: ChaosOptions;
  /** Faults that ran, and warnings for those this local cloud cannot inject. */
  readonly faults: string[];
  readonly warnings: string[];
  readonly timeline: string[];
  readonly numbers: ChaosNumbers;
  readonly broken: string[];
  readonly logFile: string;
}

const entries = (counts: Record<string, number>) => Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(", ") || "none";

export function reportRows(n: ChaosNumbers): [string, string][] {
  return [
    ["orders planned / sent", `${n.ordersPlanned} / ${n.ordersSent}`],
    ["HTTP requests (retries incl.)", `${n.requests} (connection failures ${n.connectionFailures}, 5xx ${n.serverErrors}, deliberate replays ${n.clientReplays})`],
    ["sign-ins / answers 401", `${n.signIns} / ${n.unauthorized}`],
    ["accepted (202)", String(n.accepted)],
    ["refused by the API / gave up", `${entries(n.refused)} / ${n.gaveUp}`],
    ["filled", String(n.filled)],
    ["rejected", entries(n.rejected)],
    ["in a DLQ (orders)", String(n.inDeadLetterQueue)],
    ["redriven", String(n.redriven)],
    ["LOST (must be 0)", String(n.lost)],
    ["FILLED TWICE (must be 0)", String(n.filledTwice)],
    ["DOUBLED ORDERS per key (must be 0)", String(n.doubledOrders)],
    ["LEDGER DIFFERENCES (must be 0)", `${n.ledgerDifferences} (${n.usersAudited} users audited)`],
    ["orders no 202 told of", String(n.unacknowledgedOrders)],
    ["notifications push / email", `${n.notificationsPush} / ${n.notificationsEmail}`],
    ["final orders without any notification", String(n.finalWithoutNotification)],
    ["EVENT TRAIL DIFFERENCES (must be 0)", `${n.eventTrailDifferences} (${n.eventTrailsAudited} orders' trails audited)`],
    ["queue depths at the end", entries(n.queueDepthsAtEnd)],
  ];
}

export function textTable(rows: readonly [string, string][]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n");
}

function markdown(report: ChaosReport): string {
  const lines = [
    `# Chaos run ${report.startedAt}`,
    "",
    `${report.broken.length === 0 ? "All guarantees held." : `BROKEN: ${report.broken.join("; ")}`}`,
    "",
    `Duration ${report.durationSeconds} s; ${report.options.orders} orders, ${report.options.users} users, ${report.options.rate}/s${report.options.short ? " (short)" : ""}.`,
    "",
    "| measure | value |",
    "|---|---|",
    ...reportRows(report.numbers).map(([k, v]) => `| ${k} | ${v} |`),
    "",
    "## Faults",
    ...report.faults.map((f) => `- ${f}`),
    ...(report.warnings.length > 0 ? ["", "## Warnings", ...report.warnings.map((w) => `- ${w}`)] : []),
    "",
    "## Timeline",
    ...report.timeline.map((t) => `- ${t}`),
  ];
  const n = report.numbers;
  if (n.lostOrderIds.length > 0) lines.push("", "## Lost orders (first 50)", ...n.lostOrderIds.map((id) => `- ${id}`));
  if (n.filledTwiceOrderIds.length > 0) lines.push("", "## Filled twice (first 50)", ...n.filledTwiceOrderIds.map((id) => `- ${id}`));
  if (n.ledgerFindings.length > 0) lines.push("", "## Ledger findings (first 50)", ...n.ledgerFindings.map((f) => `- ${f}`));
  if (n.eventTrailFindings.length > 0) lines.push("", "## Event trail findings (first 50)", ...n.eventTrailFindings.map((f) => `- ${f}`));
  if (n.finalWithoutNotificationIds.length > 0) lines.push("", "## Final orders without a notification (first 50)", ...n.finalWithoutNotificationIds.map((id) => `- ${id}`));
  return `${lines.join("\n")}\n`;
}

/** Writes `<timestamp>.json` and `.md` and copies them to `latest.*`; returns the JSON path. */
export function writeReport(dir: string, report: ChaosReport): string {
  mkdirSync(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, "-");
  const json = join(dir, `${stamp}.json`);
  const md = join(dir, `${stamp}.md`);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(md, markdown(report));
  copyFileSync(json, join(dir, "latest.json"));
  copyFileSync(md, join(dir, "latest.md"));
  return json;
}
