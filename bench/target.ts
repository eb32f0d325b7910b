import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalCloud } from "../localcloud/cloud.ts";
import { cdkSynthCommand } from "../localcloud/synth-command.ts";

/** Where the load goes: what the stack outputs say, plus how to stop it. */
export interface BenchTarget {
  readonly kind: "in-process" | "external";
  readonly endpoint: string;
  readonly outputs: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/** The API's path-style URL, which both the local cloud and LocalStack serve. */
function pathStyleApiUrl(url: string, endpoint: string): string {
  const match = url.match(/^https?:\/\/([a-z0-9]+)\.execute-api\.[^/]+\/(.*)$/);
  return match ? `${endpoint}/_aws/execute-api/${match[1]}/${match[2]}` : url;
}

/** Uses a running endpoint and the Brokerage stack outputs from a cdk-outputs.json. */
export function externalTarget(endpoint: string, outputsFile: string): BenchTarget {
  const all = JSON.parse(readFileSync(outputsFile, "utf8")) as Record<string, Record<string, string>>;
  const outputs = { ...(all.Brokerage ?? {}) };
  if (!outputs.ApiUrl) throw new Error(`${outputsFile} has no Brokerage.ApiUrl output`);
  outputs.ApiUrl = pathStyleApiUrl(outputs.ApiUrl, endpoint);
  return { kind: "external", endpoint, outputs, stop: async () => {} };
}

/** Synthesizes the app with the chosen price source into a fresh folder. */
function synthesize(priceSource: string): string {
  const assemblyDir = mkdtempSync(join(tmpdir(), "brokerage-bench-"));
  try {
    // Quiet unless it fails: the bundler's progress lines would bury the results.
    const synth = cdkSynthCommand(assemblyDir, [], { ...process.env, BROKERAGE_PRICE_SOURCE: priceSource });
    execFileSync(synth.command, synth.args, { stdio: ["ignore", "ignore", "pipe"], env: synth.env });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? "";
    throw new Error(`cdk synth failed:\n${stderr}`);
  }
  return assemblyDir;
}

/** Runs the app (synthesized with the chosen price source, or a given assembly) on an in-memory local cloud in this process. */
export async function inProcessTarget(options: {
  priceSource: string;
  functionConcurrency: number;
  /** An already synthesized cloud assembly to deploy instead of synthesizing one. */
  assemblyDir?: string;
  log?: (source: string, line: string) => void;
}): Promise<BenchTarget> {
  const assemblyDir = options.assemblyDir ?? synthesize(options.priceSource);
  const cloud = await startLocalCloud({
    port: 0,
    dataDir: "",
    inMemory: true,
    functionConcurrency: options.functionConcurrency,
    log: options.log ?? (() => {}),
  });
  const stacks = await cloud.deploy(assemblyDir);
  const outputs = stacks.find((s) => s.stackName === "Brokerage")?.outputs;
  if (!outputs?.ApiUrl) {
    await cloud.stop();
    throw new Error("the synthesized app has no Brokerage stack with an ApiUrl output");
  }
  return { kind: "in-process", endpoint: cloud.endpoint, outputs: { ...outputs }, stop: () => cloud.stop() };
}
