import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The three markets the run switches between: healthy, failing a share of calls, fully down. */
export interface Assemblies {
  readonly normal: string;
  readonly flaky: string;
  readonly down: string;
}

function synth(failureRate: number): Promise<string> {
  const outdir = mkdtempSync(join(tmpdir(), `brokerage-chaos-${failureRate}-`));
  const args = ["cdk", "synth", "--quiet", "--no-notices", "--output", outdir, "-c", `simulatedMarketFailureRate=${failureRate}`];
  return new Promise((done, fail) => {
    const child = spawn("npx", args, { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: "true" } });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", fail);
    child.on("exit", (code) => (code === 0 ? done(outdir) : fail(new Error(`cdk synth (failure rate ${failureRate}) exited with ${code}:\n${stderr.slice(-2000)}`))));
  });
}

/** Synthesizes the three in parallel: each is mostly waiting on esbuild, so they overlap well. */
export async function synthesizeAssemblies(flakyRate = 0.2): Promise<Assemblies> {
  const [normal, flaky, down] = await Promise.all([synth(0), synth(flakyRate), synth(1)]);
  return { normal, flaky, down };
}
