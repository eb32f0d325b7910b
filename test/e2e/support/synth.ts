import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { assemblyIsCurrent, filesUnder, recordAssemblySources, sourceFingerprint } from "../../../localcloud/synth-cache.ts";
import { cdkSynthCommand } from "../../../localcloud/synth-command.ts";

/** Inside node_modules: a fresh install (as CI makes) starts without it. */
const CACHE_DIR = join(process.cwd(), "node_modules", ".cache", "brokerage-e2e-assemblies");
/** What the fixture app is built from besides the project's sources (cdk.json lists only those). */
const FIXTURES_DIR = join(process.cwd(), "test", "e2e", "fixtures");
const LOCK_STALE_MS = 5 * 60_000;

/**
 * Runs `cdk synth` for an app (default: the project's, from cdk.json) once per set of
 * sources: the assembly is kept under the fingerprint of what it was built from (the
 * local cloud's own synth-cache rule), so the end-to-end files of a run share one synth
 * and a changed source makes a new one. Deploying only reads an assembly.
 */
export function synthesize(app?: string): string {
  const fingerprint = fingerprintOf(app);
  const dir = join(CACHE_DIR, createHash("sha256").update(app ?? "cdk.json").digest("hex").slice(0, 16));
  if (assemblyIsCurrent(dir, fingerprint)) return dir;
  mkdirSync(CACHE_DIR, { recursive: true });
  // Files running side by side would each synthesize on the same two cores: one does, the others wait for it.
  const lock = `${dir}.lock`;
  acquire(lock);
  try {
    if (assemblyIsCurrent(dir, fingerprint)) return dir;
    const fresh = mkdtempSync(join(CACHE_DIR, "synth-"));
    const synth = cdkSynthCommand(fresh, app ? ["--app", app] : []);
    execFileSync(synth.command, synth.args, { stdio: ["ignore", "ignore", "inherit"], env: synth.env });
    recordAssemblySources(fresh, fingerprint);
    rmSync(dir, { recursive: true, force: true });
    renameSync(fresh, dir);
    return dir;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function acquire(lock: string): void {
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch {
      // A lock left by a process that died mid-synth is taken over.
      if (Date.now() - (statMs(lock) ?? Date.now()) > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
}

const statMs = (path: string): number | undefined => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
};

function fingerprintOf(app: string | undefined): string | undefined {
  const project = sourceFingerprint(process.cwd());
  if (project === undefined || app === undefined) return project;
  const hash = createHash("sha256").update(project).update("\0").update(app);
  for (const file of filesUnder(FIXTURES_DIR).sort()) hash.update("\0").update(file).update("\0").update(readFileSync(file));
  return hash.digest("hex");
}

