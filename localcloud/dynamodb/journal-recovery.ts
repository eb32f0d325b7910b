import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { AuthHeaders, DynaliteBackend } from "./dynalite-backend.ts";
import { restoreWrite } from "./write-actions.ts";
import { FileWriteJournal, isJournalFileName, readJournal, type BeforeImage } from "./write-journal.ts";

/** dynalite only checks that a request looks signed; recovery runs before any client has called. */
const RECOVERY_AUTH: AuthHeaders = {
  authorization:
    "AWS4-HMAC-SHA256 Credential=recovery/20000101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=none",
  "x-amz-date": "20000101T000000Z",
};

export class JournalRecoveryError extends Error {
  override readonly name = "JournalRecoveryError";
  constructor(path: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`could not roll back the interrupted transaction recorded in ${path} (${reason}); start with reset to discard all tables`, {
      cause,
    });
  }
}

/**
 * Rolls back the TransactWriteItems that the previous process left half-applied (one per
 * journal file holding a record), then opens an empty journal for this one. Must run
 * before any request is served.
 *
 * Back, not forward: a recorded transaction never answered its client with success
 * (the record is removed before the answer is sent), so undoing it is what the client
 * may assume, and its SDK or the caller will retry as after any failed request.
 * Transactions in flight at once held locks on all their items, so no two records name
 * the same item and the order of rollback does not matter.
 * Restoring is idempotent, so a crash during recovery just recovers again next start.
 */
export async function recoverAndOpenJournal(
  folder: string,
  backend: DynaliteBackend,
  log: (line: string) => void,
): Promise<FileWriteJournal> {
  const files = (await readdir(folder)).filter(isJournalFileName).sort();
  const lines: string[] = [];
  for (const file of files) {
    const path = join(folder, file);
    const pending = await readJournal(path);
    if (pending === undefined) continue;
    if (pending === "unreadable") {
      lines.push("discarded a transaction journal cut short while being written; no item of that transaction had been applied");
      continue;
    }
    try {
      for (const image of pending) {
        const write = restoreWrite(image, image.item ?? undefined);
        await backend.call(write.operation, write.payload, RECOVERY_AUTH);
      }
    } catch (error) {
      throw new JournalRecoveryError(path, error);
    }
    lines.push(`rolled back a TransactWriteItems interrupted before it finished: ${pending.map(describe).join("; ")}`);
  }
  // Opening empties the journal, so the records go only after every item is restored.
  const journal = await FileWriteJournal.open(folder);
  for (const line of lines) log(line);
  return journal;
}

function describe(image: BeforeImage): string {
  const what = image.item === null ? "deleted (absent before)" : "restored";
  return `${image.tableName} ${JSON.stringify(image.key)} ${what}`;
}
