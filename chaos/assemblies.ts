import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { assemblyIsCurrent, recordAssemblySources, sourceFingerprint } from "../localcloud/synth-cache.ts";
import { cdkSynthCommand } from "../localcloud/synth-command.ts";

/** The three markets the run switches between: healthy, failing a share of calls, fully down. */
export interface Assemblies {
  readonly normal: string;
  readonly flaky: string;
  readonly down: string;
  /** How many had to be synthesized (the others were reused: the sources had not changed). */
  readonly synthesized: number;
}

function synth(failureRate: number, outdir: string): Promise<void> {
  const synth = cdkSynthCommand(outdir, ["-c", `simulatedMarketFailureRate=${failureRate}`]);
  return new Promise((done, fail) => {
    const child = spawn(synth.command, synth.args, { stdio: ["ignore", "ignore", "pipe"], env: synth.env });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", fail);
    child.on("exit", (code) => (code === 0 ? done() : fail(new Error(`cdk synth (failure rate ${failureRate}) exited with ${code}:\n${stderr.slice(-2000)}`))));
  });
}

/**
 * Each assembly is kept in `cacheDir` with the fingerprint of the sources it was built
 * from (the local cloud's own synth cache rule), so a second run on unchanged sources
 * skips cdk synth; the ones missing are synthesized in parallel.
 */
export async function synthesizeAssemblies(cacheDir: string, flakyRate = 0.2): Promise<Assemblies> {
  const fingerprint = sourceFingerprint(process.cwd());
  mkdirSync(cacheDir, { recursive: true });
  let synthesized = 0;
  const one = async (name: string, rate: number): Promise<string> => {
    const dir = resolve(cacheDir, name);
    if (assemblyIsCurrent(dir, fingerprint)) return dir;
    synthesized++;
    const fresh = mkdtempSync(join(tmpdir(), `brokerage-chaos-${name}-`));
    await synth(rate, fresh);
    recordAssemblySources(fresh, fingerprint);
    rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(fresh, dir);
      return dir;
    } catch {
      return fresh; // another file system: use it where it is
    }
  };
  const [normal, flaky, down] = await Promise.all([one("normal", 0), one("flaky", flakyRate), one("down", 1)]);
  return { normal, flaky, down, synthesized };
}
