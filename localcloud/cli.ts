import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { startLocalCloud } from "./cloud.ts";
import { consoleLogSink } from "./console-output.ts";
import { assemblyIsCurrent, recordAssemblySources, sourceFingerprint } from "./synth-cache.ts";
import type { DeployedStack } from "./deployer/deployed-stack.ts";

const USAGE = `Usage: npm start -- [options]

Synthesizes the CDK app and runs the cloud assembly on one AWS-compatible endpoint.

  --port N              endpoint port (default 4566)
  --data-dir DIR        where tables and queues persist (default .localcloud)
  --reset               start with empty tables and queues
  --synth               always run cdk synth (by default it is skipped when the sources
                        that cdk.json's watch.include lists are unchanged since the last one)
  --no-synth            deploy the existing assembly instead of running cdk synth
  --assembly DIR        cloud assembly folder (default cdk.out)
  --outputs-file FILE   stack outputs, as cdk deploy --outputs-file writes them (default cdk-outputs.json)
  --after-deploy CMD    shell command to run once deployed (e.g. a seed step)
  --no-color            plain log prefixes
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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "4566" },
      "data-dir": { type: "string", default: ".localcloud" },
      reset: { type: "boolean", default: false },
      "no-synth": { type: "boolean", default: false },
      synth: { type: "boolean", default: false },
      assembly: { type: "string", default: "cdk.out" },
      "outputs-file": { type: "string", default: "cdk-outputs.json" },
      "after-deploy": { type: "string" },
      "no-color": { type: "boolean", default: false },
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

  const fingerprint = sourceFingerprint(process.cwd());
  if (values["no-synth"]) {
    log("localcloud", `deploying the existing assembly in ${values.assembly}`);
  } else if (!values.synth && assemblyIsCurrent(assemblyDir, fingerprint)) {
    log("localcloud", `sources unchanged since the last synth: reusing ${values.assembly} (--synth forces one)`);
  } else {
    log("localcloud", "synthesizing the CDK app (cdk synth) …");
    await run("npx", ["cdk", "synth", "--quiet", "--no-notices", "--output", assemblyDir], {
      ...process.env,
      CDK_DISABLE_CLI_TELEMETRY: "true",
    });
    recordAssemblySources(assemblyDir, fingerprint);
  }

  const cloud = await startLocalCloud({
    port: Number(values.port),
    dataDir: resolve(values["data-dir"]),
    reset: values.reset,
    log,
  });
  const stacks = await cloud.deploy(assemblyDir);
  writeFileSync(values["outputs-file"], outputsFile(stacks));

  const awsEnv = {
    ...process.env,
    AWS_ENDPOINT_URL: cloud.endpoint,
    AWS_REGION: cloud.ctx.region,
    AWS_DEFAULT_REGION: cloud.ctx.region,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
  };
  if (values["after-deploy"]) await run("sh", ["-c", values["after-deploy"]], awsEnv);

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const lines = [
    `ready in ${seconds}s`,
    `endpoint     ${cloud.endpoint}   (AWS_ENDPOINT_URL; credentials test/test, region ${cloud.ctx.region})`,
    `data folder  ${values["data-dir"]}   (npm start -- --reset starts empty)`,
    `outputs      ${values["outputs-file"]}`,
  ];
  for (const stack of stacks) {
    for (const [key, value] of Object.entries(stack.outputs)) lines.push(`  ${stack.stackName}.${key} = ${value}`);
    if (stack.notEmulated.length > 0) lines.push(`not emulated (accepted, not run): ${stack.notEmulated.join(", ")}`);
  }
  const apiUrl = stacks.flatMap((s) => Object.entries(s.outputs)).find(([key]) => key === "ApiUrl")?.[1];
  if (apiUrl) {
    lines.push("try:", `  curl ${apiUrl}users/1`);
    lines.push(`  curl -X POST ${apiUrl}orders -H 'content-type: application/json' -d '{"userId":"1","ticker":"PETR4","quantity":10,"side":"BUY"}'`);
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
