import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Runs `cdk synth` for an app (default: the project's, from cdk.json) into a fresh folder. */
export function synthesize(app?: string): string {
  const outdir = mkdtempSync(join(tmpdir(), "brokerage-assembly-"));
  const args = ["cdk", "synth", "--quiet", "--no-notices", "--output", outdir, ...(app ? ["--app", app] : [])];
  execFileSync("npx", args, { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: "true" } });
  return outdir;
}
