import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const STAMP_FILE = ".localcloud-sources.sha256";

/**
 * What a synthesized assembly was built from: the folders `cdk.json` lists under
 * `watch.include` (the app's own statement of its sources), plus `cdk.json`,
 * `package.json`, the lock file and `tsconfig.json`. Equal fingerprints mean `cdk synth` would produce the same assembly.
 */
export function sourceFingerprint(projectDir: string): string | undefined {
  const cdkJson = join(projectDir, "cdk.json");
  if (!existsSync(cdkJson)) return undefined;
  const config = JSON.parse(readFileSync(cdkJson, "utf8")) as { watch?: { include?: unknown } };
  const include = config.watch?.include;
  if (!Array.isArray(include) || include.length === 0) return undefined;
  const hash = createHash("sha256");
  const files: string[] = [cdkJson, join(projectDir, "package.json"), join(projectDir, "package-lock.json"), join(projectDir, "tsconfig.json")];
  for (const entry of include) {
    // Plain folder or file names only; anything with a wildcard is not understood, so never cached.
    if (typeof entry !== "string" || /[*?[\]{}]/.test(entry)) return undefined;
    collect(join(projectDir, entry), files);
  }
  for (const file of files.sort()) {
    if (!existsSync(file)) continue;
    hash.update(relative(projectDir, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}

/** Every file under `path` (or `path` itself), node_modules left out. */
export function filesUnder(path: string): string[] {
  const files: string[] = [];
  collect(path, files);
  return files;
}

function collect(path: string, into: string[]): void {
  if (!existsSync(path)) return;
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path)) if (name !== "node_modules") collect(join(path, name), into);
  } else into.push(path);
}

/** True when the assembly in `assemblyDir` was synthesized from exactly these sources. */
export function assemblyIsCurrent(assemblyDir: string, fingerprint: string | undefined): boolean {
  const stamp = join(assemblyDir, STAMP_FILE);
  return fingerprint !== undefined && existsSync(join(assemblyDir, "manifest.json")) && existsSync(stamp) && readFileSync(stamp, "utf8") === fingerprint;
}

export function recordAssemblySources(assemblyDir: string, fingerprint: string | undefined): void {
  if (fingerprint !== undefined) writeFileSync(join(assemblyDir, STAMP_FILE), fingerprint);
}
