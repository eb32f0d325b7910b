import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

type Settings = Record<string, Record<string, string>>;

/** The bucket configurations set with Put…, by bucket then sub-resource; kept in a JSON file when given one. */
export class BucketSettings {
  private readonly settings: Settings;

  constructor(private readonly file?: string) {
    this.settings = file === undefined ? {} : readSettings(file);
  }

  get(bucket: string, subresource: string): string | undefined {
    return this.settings[bucket]?.[subresource];
  }

  put(bucket: string, subresource: string, document: string): void {
    this.settings[bucket] = { ...this.settings[bucket], [subresource]: document };
    this.save();
  }

  delete(bucket: string, subresource: string): void {
    const current = this.settings[bucket];
    if (current === undefined) return;
    delete current[subresource];
    this.save();
  }

  /** A deleted bucket's settings go with it; a new bucket of the same name starts clean. */
  forgetBucket(bucket: string): void {
    delete this.settings[bucket];
    this.save();
  }

  private save(): void {
    if (this.file === undefined) return;
    mkdirSync(dirname(this.file), { recursive: true });
    // Write then rename, so a crash mid-write leaves the previous file whole.
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify(this.settings));
    renameSync(temp, this.file);
  }
}

function readSettings(file: string): Settings {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return {};
    throw error;
  }
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === "object" && parsed !== null ? (parsed as Settings) : {};
}
