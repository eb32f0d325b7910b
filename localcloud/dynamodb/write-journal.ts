import { open, readdir, readFile, rm, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
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
 * Write-ahead records of the transactions being applied, so that a process killed
 * half-way can roll them back when it starts again. `begin` returns only once the
 * before-images are on disk; the record's `end` returns once it is durably gone.
 */
export interface WriteJournal {
  begin(beforeImages: readonly BeforeImage[]): Promise<JournalRecordHandle>;
  close(): Promise<void>;
}

export interface JournalRecordHandle {
  end(): Promise<void>;
}

/** For in-memory tables: nothing outlives the process, so there is nothing to recover. */
export const NO_JOURNAL: WriteJournal = {
  begin: async () => ({ end: async () => {} }),
  close: async () => {},
};

/** The journal's files: the first is JOURNAL_FILE_NAME, more are numbered `<name>.1`, `<name>.2`, … */
export function isJournalFileName(name: string): boolean {
  return name === JOURNAL_FILE_NAME || /^transact-write\.journal\.\d+$/.test(name);
}

/**
 * One file per transaction in flight, kept open for the service's lifetime and reused:
 * an empty file means no transaction. Transactions on different items run at the same
 * time, so there are as many files as were ever in flight at once; a file is created
 * (and the folder synced) only when every existing one is in use. Emptying a file
 * instead of deleting it needs no folder sync per transaction.
 */
export class FileWriteJournal implements WriteJournal {
  private readonly free: FileHandle[] = [];
  private readonly all: FileHandle[] = [];
  /** The first file is JOURNAL_FILE_NAME itself; the next one created is `<name>.1`. */
  private filesCreated = 1;

  private constructor(private readonly folder: string) {}

  /**
   * Opens the journal empty: whatever its files held must have been recovered already.
   * The first file is emptied and the numbered ones are deleted.
   */
  static async open(folder: string): Promise<FileWriteJournal> {
    const journal = new FileWriteJournal(folder);
    const extra = (await readdir(folder)).filter((name) => isJournalFileName(name) && name !== JOURNAL_FILE_NAME);
    await Promise.all(extra.map((name) => rm(join(folder, name), { force: true })));
    const first = await open(join(folder, JOURNAL_FILE_NAME), "w");
    try {
      await first.datasync();
      await syncFolder(folder);
    } catch (error) {
      await first.close();
      throw error;
    }
    journal.all.push(first);
    journal.free.push(first);
    return journal;
  }

  async begin(beforeImages: readonly BeforeImage[]): Promise<JournalRecordHandle> {
    const handle = this.free.pop() ?? (await this.newFile());
    const record: JournalRecord = { version: 1, beforeImages };
    const bytes = Buffer.from(JSON.stringify(record));
    try {
      await handle.write(bytes, 0, bytes.length, 0);
      // Normally a no-op; cuts off an older, longer record whose end() failed.
      await handle.truncate(bytes.length);
      await handle.datasync();
    } catch (error) {
      this.free.push(handle);
      throw error;
    }
    let ended = false;
    return {
      end: async () => {
        if (ended) return;
        await handle.truncate(0);
        await handle.datasync();
        ended = true;
        this.free.push(handle);
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.all.splice(0).map((handle) => handle.close()));
    this.free.length = 0;
  }

  private async newFile(): Promise<FileHandle> {
    // Numbered before the first await, so two transactions never open the same file.
    const number = this.filesCreated++;
    const handle = await open(join(this.folder, `${JOURNAL_FILE_NAME}.${number}`), "w");
    this.all.push(handle);
    await syncFolder(this.folder);
    return handle;
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
