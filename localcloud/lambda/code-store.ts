/**
 * Function code as Lambda receives it: a zip in S3 (CDK uploads `<hash>.zip` to the
 * bootstrap bucket) or inline. Each zip is unpacked once into a folder named by its
 * content hash, which every function with the same code then shares.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, normalize, sep } from "node:path";
import { unzipSync } from "fflate";

/** Where zips are read from: the local cloud's S3. */
export interface ObjectReader {
  getObject(bucket: string, key: string): Promise<Buffer>;
}

export class InvalidCodeZipError extends Error {
  constructor(detail: string) {
    super(`Could not unzip the function's code: ${detail}`);
    this.name = "InvalidCodeZipError";
  }
}

export class CodeSourceUnavailableError extends Error {
  constructor() {
    super("This Lambda service has no S3 to read function code from");
    this.name = "CodeSourceUnavailableError";
  }
}

export interface CodeStoreOptions {
  /** Reads `S3Bucket`/`S3Key` code. @default none: only inline zips */
  readonly s3?: ObjectReader;
  /** Parent of the unpacked folders, e.g. `<dataDir>/lambda/code`. @default a temporary folder, removed by dispose() */
  readonly root?: string;
}

export class LambdaCodeStore {
  /** Made on first use when no root was given. */
  private temporaryRoot: string | undefined;

  constructor(private readonly options: CodeStoreOptions = {}) {}

  private get root(): string {
    if (this.options.root !== undefined) return this.options.root;
    this.temporaryRoot ??= mkdtempSync(join(tmpdir(), "localcloud-lambda-code-"));
    return this.temporaryRoot;
  }

  /** The folder holding the unpacked zip at s3://bucket/key; S3's errors (NoSuchKey, …) pass through. */
  async folderFor(bucket: string, key: string): Promise<string> {
    if (this.options.s3 === undefined) throw new CodeSourceUnavailableError();
    return this.folderForZip(await this.options.s3.getObject(bucket, key));
  }

  /** The folder holding this zip's files, unpacked now unless the same zip was before. */
  async folderForZip(zip: Buffer): Promise<string> {
    const folder = join(this.root, createHash("sha256").update(zip).digest("hex"));
    if (existsSync(folder)) return folder;
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(zip);
    } catch (error) {
      throw new InvalidCodeZipError(error instanceof Error ? error.message : String(error));
    }
    // Unpack beside it, then rename: a half-written folder is never taken for a whole one.
    const partial = `${folder}.partial-${randomBytes(4).toString("hex")}`;
    try {
      for (const [name, content] of Object.entries(files)) {
        if (name.endsWith("/")) continue;
        const target = safeJoin(partial, name);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, content);
      }
      mkdirSync(partial, { recursive: true });
      renameSync(partial, folder);
    } catch (error) {
      rmSync(partial, { recursive: true, force: true });
      // Another caller unpacked the same zip first: theirs is as good as ours.
      if (existsSync(folder)) return folder;
      throw error;
    }
    return folder;
  }

  /** Removes the temporary folder, if one was made; a given root is kept. */
  dispose(): void {
    if (this.temporaryRoot !== undefined) rmSync(this.temporaryRoot, { recursive: true, force: true });
    this.temporaryRoot = undefined;
  }
}

/** `root/name`, refusing entries that would land outside root ("../x", "/etc/x"). */
function safeJoin(root: string, name: string): string {
  const relative = normalize(name);
  if (isAbsolute(relative) || relative === ".." || relative.startsWith(`..${sep}`)) throw new InvalidCodeZipError(`entry ${name} points outside the code folder`);
  return join(root, relative);
}
