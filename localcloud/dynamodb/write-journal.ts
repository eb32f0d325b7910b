import { open, readFile, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { isRecord, type AttributeMap, type ItemTarget } from "./transaction-items.ts";

/** The journal's file, inside the dynamodb data folder (LevelDB ignores files it did not name). */
export const JOURNAL_FILE_NAME = "transact-write.journal";

/** An item as it was before a transaction touched it; `item` is null when it did not exist. */
export interface BeforeImage extends ItemTarget {
  readonly item: AttributeMap | null;
}

interface JournalRecord {
  readonly version: 1;
  readonly beforeImages: readonly BeforeImage[];
}

/**
 * Write-ahead record of the transaction being applied, so that a process killed
 * half-way can be rolled back when it starts again. `begin` returns only once the
 * before-images are on disk; `end` returns once the record is durably gone.
 */
export interface WriteJournal {
  begin(beforeImages: readonly BeforeImage[]): Promise<void>;
  end(): Promise<void>;
  close(): Promise<void>;
}

/** For in-memory tables: nothing outlives the process, so there is nothing to recover. */
export const NO_JOURNAL: WriteJournal = {
  begin: async () => {},
  end: async () => {},
  close: async () => {},
};

/**
 * One file kept open for the service's lifetime; empty means no transaction is in
 * flight. Emptying it instead of deleting it needs no folder sync per transaction.
 * Transactions hold the exclusive lock, so at most one record exists at a time.
 */
export class FileWriteJournal implements WriteJournal {
  private constructor(private readonly handle: FileHandle) {}

  /** Opens the journal empty: whatever it held must have been recovered already. */
  static async open(path: string): Promise<FileWriteJournal> {
    const handle = await open(path, "w");
    try {
      await handle.datasync();
      await syncFolder(dirname(path));
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new FileWriteJournal(handle);
  }

  async begin(beforeImages: readonly BeforeImage[]): Promise<void> {
    const record: JournalRecord = { version: 1, beforeImages };
    const bytes = Buffer.from(JSON.stringify(record));
    await this.handle.write(bytes, 0, bytes.length, 0);
    // Normally a no-op; cuts off an older, longer record whose end() failed.
    await this.handle.truncate(bytes.length);
    await this.handle.datasync();
  }

  async end(): Promise<void> {
    await this.handle.truncate(0);
    await this.handle.datasync();
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/**
 * What the journal at `path` holds: undefined when there is no record, "unreadable"
 * when a record was cut short. A record is only cut short if the process died while
 * writing it, and then no item had been applied yet, since items wait for the sync.
 */
export async function readJournal(path: string): Promise<readonly BeforeImage[] | "unreadable" | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (isRecord(error) && error["code"] === "ENOENT") return undefined;
    throw error;
  }
  if (text === "") return undefined;
  try {
    const record: unknown = JSON.parse(text);
    if (isRecord(record) && record["version"] === 1 && Array.isArray(record["beforeImages"])) {
      const images: unknown[] = record["beforeImages"];
      if (images.every(isBeforeImage)) return images;
    }
  } catch {
    // Falls through: a truncated record is not JSON.
  }
  return "unreadable";
}

function isBeforeImage(value: unknown): value is BeforeImage {
  return (
    isRecord(value) &&
    typeof value["tableName"] === "string" &&
    isRecord(value["key"]) &&
    (value["item"] === null || isRecord(value["item"]))
  );
}

/** Makes a newly created file's name durable (folders cannot be opened for syncing on Windows). */
async function syncFolder(path: string): Promise<void> {
  if (process.platform === "win32") return;
  const folder = await open(path, "r");
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
