import { spawn } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { startLocalCloud, type LocalCloudFaults } from "./cloud.ts";
import { consoleLogSink } from "./console-output.ts";
import { assemblyIsCurrent, recordAssemblySources, sourceFingerprint } from "./synth-cache.ts";
import { cdkSynthCommand } from "./synth-command.ts";
import { TRACE_EVERY_REQUEST } from "./xray/trace-sampler.ts";
import type { DeployedStack } from "./deployer/deployed-stack.ts";

const USAGE = `Usage: npm start -- [options]

Synthesizes the CDK app and runs the cloud assembly on one AWS-compatible endpoint.

  --port N              endpoint port (default 4566)
  --data-dir DIR        where tables and queues persist (default .localcloud)
  --reset               start with empty tables and queues
  --empty               start the services without deploying the app: deploy it yourself with
                        the CDK CLI (npm run localstack:deploy); stacks deployed earlier start again
  --synth               always run cdk synth (by default it is skipped when the sources
                        that cdk.json's watch.include lists are unchanged since the last one)
  --no-synth            deploy the existing assembly instead of running cdk synth
  --assembly DIR        cloud assembly folder (default cdk.out)
  --outputs-file FILE   stack outputs, as cdk deploy --outputs-file writes them (default cdk-outputs.json)
  --after-deploy CMD    shell command to run once deployed (e.g. a seed step)
  --no-color            plain log prefixes
  --function-concurrency N  most sandboxes per function at once (default: one per core, at least 2)
  --trace-all           X-Ray traces every request (default: X-Ray's default sampling rule,
                        the first request of each second per entry point, then 5 %)
  --chaos-crash-rate N      chaos runs: chance (0-1) that a function invocation's sandbox is
                            killed mid-invocation (default 0)
  --chaos-timeout-rate N    chance (0-1) that an invocation is ended as timed out (default 0)
  --chaos-duplicate-rate N  chance (0-1) that an SQS batch is delivered to its function twice (default 0)
  --chaos-seed N            seed for the chaos choices, to repeat a run (default: random, printed)
  --help`;

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    child.on("error", fail);
    child.on("exit", (code) => (code === 0 ? done() : fail(new Error(`${command} ${args.join(" ")} exited with ${code}`))));
  });
}

function outputsFile(stacks: DeployedStack[]): string {
  return `${JSON.stringify(Object.fromEntries(stacks.map((s) => [s.stackName, s.outputs])), null, 2)}\n`;
}

/**
 * Where an after-deploy step may leave what callers of the API need (its key and users);
 * the local cloud reads only the shape below, to print calls that work.
 */
const CREDENTIALS_FILE = ".localcloud/demo-credentials.json";

/** The credentials file, if the after-deploy step of this very start wrote one with an API key and a user. */
function freshCredentialsFile(startedAt: number): { file: string; userId: string } | undefined {
  try {
    if (statSync(CREDENTIALS_FILE).mtimeMs < performance.timeOrigin + startedAt) return undefined;
    const parsed = JSON.parse(readFileSync(CREDENTIALS_FILE, "utf8")) as { apiKey?: unknown; users?: { userId?: unknown }[] };
    const userId = parsed.users?.[0]?.userId;
    return typeof parsed.apiKey === "string" && typeof userId === "string" ? { file: CREDENTIALS_FILE, userId } : undefined;
  } catch {
    return undefined;
  }
}

/** Sign in, then a GET and a POST with the token and the API key, all read from the credentials file by node. */
function signedInTryLines(apiUrl: string, { file, userId }: { file: string; userId: string }): string[] {
  const headers = `-H "x-api-key: $KEY" -H "authorization: Bearer $TOKEN"`;
  return [
    `  KEY=$(node -p "require('./${file}').apiKey")`,
    `  TOKEN=$(node -p "JSON.stringify(require('./${file}').users[0])" | curl -s -X POST ${apiUrl}sessions -H "x-api-key: $KEY" -H 'content-type: application/json' -d @- | node -p "JSON.parse(require('fs').readFileSync(0, 'utf8')).accessToken")`,
    `  curl ${apiUrl}users/${userId} ${headers}`,
    `  curl -X POST ${apiUrl}orders ${headers} -H 'content-type: application/json' -d '{"ticker":"PETR4","quantity":10,"side":"BUY"}'`,
  ];
}

class InvalidChaosOptionError extends Error {
  constructor(flag: string, value: string, expected: string) {
    super(`--${flag} must be ${expected}, got ${JSON.stringify(value)}`);
    this.name = "InvalidChaosOptionError";
  }
}

function rateOption(values: Record<string, unknown>, flag: string): number {
  const text = values[flag];
  if (typeof text !== "string") return 0;
  const rate = Number(text);
  if (text.trim() === "" || !Number.isFinite(rate) || rate < 0 || rate > 1) throw new InvalidChaosOptionError(flag, text, "a number from 0 to 1");
  return rate;
}

/** The faults to inject, or undefined when no chaos flag was given. */
function chaosOptions(values: Record<string, unknown>): Required<LocalCloudFaults> | undefined {
  const flags = ["chaos-crash-rate", "chaos-timeout-rate", "chaos-duplicate-rate", "chaos-seed"];
  if (!flags.some((flag) => values[flag] !== undefined)) return undefined;
  const seedText = values["chaos-seed"];
  let seed = Math.floor(Math.random() * 2 ** 31);
  if (typeof seedText === "string") {
    seed = Number(seedText);
    if (seedText.trim() === "" || !Number.isSafeInteger(seed)) throw new InvalidChaosOptionError("chaos-seed", seedText, "an integer");
  }
  return {
    crashRate: rateOption(values, "chaos-crash-rate"),
    timeoutRate: rateOption(values, "chaos-timeout-rate"),
    duplicateRate: rateOption(values, "chaos-duplicate-rate"),
    seed,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "4566" },
      "data-dir": { type: "string", default: ".localcloud" },
      reset: { type: "boolean", default: false },
      empty: { type: "boolean", default: false },
      "no-synth": { type: "boolean", default: false },
      synth: { type: "boolean", default: false },
      assembly: { type: "string", default: "cdk.out" },
      "outputs-file": { type: "string", default: "cdk-outputs.json" },
      "after-deploy": { type: "string" },
      "no-color": { type: "boolean", default: false },
      "function-concurrency": { type: "string" },
      "trace-all": { type: "boolean", default: false },
      "chaos-crash-rate": { type: "string" },
      "chaos-timeout-rate": { type: "string" },
      "chaos-duplicate-rate": { type: "string" },
      "chaos-seed": { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const started = performance.now();
  const assemblyDir = resolve(values.assembly);
  const log = consoleLogSink({ color: !values["no-color"] && process.stdout.isTTY === true });
  const faults = chaosOptions(values);
  const concurrencyText = values["function-concurrency"];
  const functionConcurrency = concurrencyText === undefined ? undefined : Number(concurrencyText);
  if (functionConcurrency !== undefined && (!Number.isInteger(functionConcurrency) || functionConcurrency < 1 || functionConcurrency > 64)) {
    throw new RangeError(`--function-concurrency must be a whole number from 1 to 64, got "${concurrencyText}"`);
  }
  if (faults !== undefined) {
    log(
      "localcloud",
      `CHAOS: injecting faults (crash rate ${faults.crashRate}, timeout rate ${faults.timeoutRate}, ` +
        `duplicate rate ${faults.duplicateRate}, seed ${faults.seed}; --chaos-seed ${faults.seed} repeats this run)`,
    );
  }

  const fingerprint = sourceFingerprint(process.cwd());
  if (values.empty) {
    log("localcloud", "--empty: no synth and no deployment; stacks deployed earlier start again");
  } else if (values["no-synth"]) {
    log("localcloud", `deploying the existing assembly in ${values.assembly}`);
  } else if (!values.synth && assemblyIsCurrent(assemblyDir, fingerprint)) {
    log("localcloud", `sources unchanged since the last synth: reusing ${values.assembly} (--synth forces one)`);
  } else {
    log("localcloud", "synthesizing the CDK app (cdk synth) …");
    const synth = cdkSynthCommand(assemblyDir);
    await run(synth.command, synth.args, synth.env);
    recordAssemblySources(assemblyDir, fingerprint);
  }

  const cloud = await startLocalCloud({
    port: Number(values.port),
    dataDir: resolve(values["data-dir"]),
    reset: values.reset,
    ...(functionConcurrency !== undefined ? { functionConcurrency } : {}),
    ...(values["trace-all"] ? { traceSampling: TRACE_EVERY_REQUEST } : {}),
    log,
    ...(faults !== undefined ? { faults } : {}),
  });
  let stacks: DeployedStack[] = [];
  if (values.empty) await cloud.restore();
  else {
    stacks = await cloud.deploy(assemblyDir);
    writeFileSync(values["outputs-file"], outputsFile(stacks));
  }

  const awsEnv = {
    ...process.env,
    AWS_ENDPOINT_URL: cloud.endpoint,
    AWS_REGION: cloud.ctx.region,
    AWS_DEFAULT_REGION: cloud.ctx.region,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
  };
  if (values["after-deploy"] && !values.empty) await run("sh", ["-c", values["after-deploy"]], awsEnv);

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const lines = [
    `ready in ${seconds}s`,
    `endpoint     ${cloud.endpoint}   (AWS_ENDPOINT_URL; credentials test/test, region ${cloud.ctx.region})`,
    `console      ${cloud.endpoint}/_localcloud/   (live: resources, queues, functions, logs, timelines)`,
    `data folder  ${values["data-dir"]}   (npm start -- --reset starts empty)`,
    ...(values.empty ? [] : [`outputs      ${values["outputs-file"]}`]),
  ];
  for (const stack of stacks) {
    for (const [key, value] of Object.entries(stack.outputs)) lines.push(`  ${stack.stackName}.${key} = ${value}`);
    if (stack.notEmulated.length > 0) lines.push(`not emulated (accepted, not run): ${stack.notEmulated.join(", ")}`);
  }
  const apiUrl = stacks.flatMap((s) => Object.entries(s.outputs)).find(([key]) => key === "ApiUrl")?.[1];
  const credentials = freshCredentialsFile(started);
  if (apiUrl && credentials) lines.push("try:", ...signedInTryLines(apiUrl, credentials));
  else if (apiUrl) lines.push("try:");
  if (values.empty) {
    lines.push(
      "deploy with the CDK CLI, as to LocalStack:",
      `  AWS_ENDPOINT_URL=${cloud.endpoint} npm run localstack:deploy`,
      `  AWS_ENDPOINT_URL=${cloud.endpoint} AWS_ENDPOINT_URL_S3=${cloud.endpoint.replace("localhost", "127.0.0.1")} npx cdk deploy`,
    );
  }
  lines.push(`  aws --endpoint-url ${cloud.endpoint} sqs list-queues`, `  aws --endpoint-url ${cloud.endpoint} cloudformation describe-stacks`);
  lines.push("Ctrl-C stops; function logs follow.");
  for (const line of lines) log("localcloud", line);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log("localcloud", "stopping …");
    await cloud.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
