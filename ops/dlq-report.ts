/** Text for people and JSON for scripts, from the DLQ tool's results. */
import type { DeadLetterQueueView } from "./dlq-list.ts";
import type { RedriveResult } from "./dlq-redrive.ts";
import { formatTable } from "./text-table.ts";

const queueNameOf = (url: string): string => url.slice(url.lastIndexOf("/") + 1);

export const PEEK_NOTE = "note: peeking is a receive, so each listed message's receive count went up by 1 (the counts shown include it).";

export function formatDeadLetterQueues(views: readonly DeadLetterQueueView[]): string {
  const lines: string[] = [];
  const nameWidth = Math.max(...views.map((v) => v.name.length), 4);
  for (const view of views) {
    const inFlight = view.inFlight > 0 ? ` (+${view.inFlight} in flight)` : "";
    lines.push(`${view.name.padEnd(nameWidth)}  depth ${view.depth}${inFlight}  ${queueNameOf(view.deadLetterQueueUrl)} → ${queueNameOf(view.sourceQueueUrl)}`);
    if (view.messages.length === 0) continue;
    const rows = view.messages.map((m) => [
      m.messageId,
      m.sentAt ?? "?",
      String(m.receiveCount),
      Object.entries(m.summary).map(([key, value]) => `${key}=${value}`).join(" "),
      m.reason,
    ]);
    lines.push(...formatTable(["MESSAGE ID", "SENT", "RECEIVES", "SUMMARY", "REASON"], rows));
    if (view.messages.length < view.depth) {
      lines.push(`  … ${view.depth - view.messages.length} more not shown (a FIFO group shows only its first message while it is peeked)`);
    }
  }
  if (views.some((v) => v.messages.length > 0)) lines.push("", PEEK_NOTE);
  return `${lines.join("\n")}\n`;
}

export function formatRedrive(result: RedriveResult): string {
  if (result.dryRun) return `dry run: would move ${result.moved} message(s) from the ${result.queue} DLQ back to its source queue\n`;
  const lines = [`moved ${result.moved} message(s) from the ${result.queue} DLQ back to its source queue`];
  if (result.sentNotDeleted > 0) lines.push(`${result.sentNotDeleted} sent but not deleted from the DLQ (run again to finish)`);
  if (result.failed > 0) lines.push(`${result.failed} could not be sent and stay in the DLQ`);
  if (result.leftForLater > 0) lines.push(`${result.leftForLater} arrived in the DLQ during the redrive and were left there`);
  return `${lines.join("\n")}\n`;
}
