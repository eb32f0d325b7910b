import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cdkSynthCommand } from "../../../localcloud/synth-command.ts";

/** Runs `cdk synth` for an app (default: the project's, from cdk.json) into a fresh folder. */
export function synthesize(app?: string): string {
  const outdir = mkdtempSync(join(tmpdir(), "brokerage-assembly-"));
  const synth = cdkSynthCommand(outdir, app ? ["--app", app] : []);
  execFileSync(synth.command, synth.args, { stdio: ["ignore", "ignore", "inherit"], env: synth.env });
  return outdir;
}
