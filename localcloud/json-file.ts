import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** A JSON file's contents, or undefined when there is no file yet. */
export function readJsonFile<T>(file: string): T | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return undefined;
    throw error;
  }
  return JSON.parse(text) as T;
}

/**
 * Writes to a temporary file and renames it, so a crash mid-write leaves the previous
 * file whole. `ownerOnly` keeps secrets and key material readable by the owner alone.
 */
export function writeJsonFile(file: string, contents: unknown, options: { ownerOnly?: boolean } = {}): void {
  const mode = options.ownerOnly ? 0o600 : undefined;
  mkdirSync(dirname(file), { recursive: true, ...(options.ownerOnly ? { mode: 0o700 } : {}) });
  const temp = `${file}.tmp`;
  writeFileSync(temp, JSON.stringify(contents, null, 1), mode === undefined ? {} : { mode });
  if (mode !== undefined) chmodSync(temp, mode);
  renameSync(temp, file);
}
