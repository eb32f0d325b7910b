/**
 * The durable side of `Event` invocations: one JSON file per accepted invocation,
 * written and fsynced before the caller gets its 202, so a process killed with
 * `kill -9` runs it after the restart. A file appears only whole (written under a
 * temporary name, then renamed), so a crash mid-write leaves no half record.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { join } from "node:path";

export interface StoredInvocation {
  /** Also the file name (without ".json"); sorts in acceptance order. */
  readonly id: string;
  readonly functionName: string;
  readonly payload: string;
  /** Failed attempts already retried; an attempt cut off by a crash does not count. */
  readonly retriesDone: number;
}

const SUFFIX = ".json";

export class AsyncInvocationStore {
  private sequence = 0;
  private readonly reportedUnreadable = new Set<string>();

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Records a newly accepted invocation durably. */
  async add(functionName: string, payload: string): Promise<StoredInvocation> {
    // Time plus a counter keeps acceptance order even within one millisecond.
    const order = `${String(Date.now()).padStart(15, "0")}-${String(this.sequence++).padStart(9, "0")}`;
    const invocation: StoredInvocation = { id: `${order}-${randomUUID()}`, functionName, payload, retriesDone: 0 };
    await this.write(invocation);
    return invocation;
  }

  /** Records that another retry is due, so a restart resumes with the attempts that remain. */
  async update(invocation: StoredInvocation): Promise<void> {
    await this.write(invocation);
  }

  /** Forgets an invocation that succeeded or was dropped. */
  async remove(id: string): Promise<void> {
    await unlink(this.fileOf(id)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    });
  }

  /** Invocations of `functionName` still on disk, oldest first; unreadable files are reported (once) and skipped. */
  pendingFor(functionName: string, onUnreadable: (file: string, reason: string) => void): StoredInvocation[] {
    const pending: StoredInvocation[] = [];
    for (const file of readdirSync(this.dir).filter((name) => name.endsWith(SUFFIX)).sort()) {
      try {
        const stored = JSON.parse(readFileSync(join(this.dir, file), "utf8")) as StoredInvocation;
        if (stored.functionName === functionName) pending.push(stored);
      } catch (error) {
        if (this.reportedUnreadable.has(file)) continue;
        this.reportedUnreadable.add(file);
        onUnreadable(file, error instanceof Error ? error.message : String(error));
      }
    }
    return pending;
  }

  private fileOf(id: string): string {
    return join(this.dir, `${id}${SUFFIX}`);
  }

  private async write(invocation: StoredInvocation): Promise<void> {
    const temporary = join(this.dir, `${invocation.id}.tmp`);
    const file = await open(temporary, "w");
    try {
      await file.writeFile(JSON.stringify(invocation));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, this.fileOf(invocation.id));
    await this.syncDir();
  }

  /** Makes the rename itself durable; some platforms cannot open a folder, where this is skipped. */
  private async syncDir(): Promise<void> {
    let dir;
    try {
      dir = await open(this.dir, "r");
    } catch {
      return;
    }
    try {
      await dir.sync();
    } catch {
      // Not supported for folders on this platform.
    } finally {
      await dir.close();
    }
  }
}
