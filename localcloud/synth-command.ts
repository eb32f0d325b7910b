import { createRequire } from "node:module";
import { delimiter, dirname } from "node:path";

const require = createRequire(import.meta.url);

export interface SynthCommand {
  readonly command: string;
  readonly args: string[];
  readonly env: NodeJS.ProcessEnv;
}

/**
 * How to run `cdk synth` into `outdir` for the local cloud, the bench, the chaos run and
 * the end-to-end tests: the project's own CDK CLI on this Node rather than through npx
 * (starting npx costs over a second here), and without CDK's built-in CloudFormation
 * schema check (CDK_VALIDATION=false), which took 4 s of each synth. That check still
 * runs in the infra tests and in every `cdk synth` or `cdk deploy` run by hand or by the
 * deploy scripts.
 */
export function cdkSynthCommand(outdir: string, extraArgs: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): SynthCommand {
  return {
    command: process.execPath,
    args: [require.resolve("aws-cdk/bin/cdk"), "synth", "--quiet", "--no-notices", "--output", outdir, ...extraArgs],
    env: {
      ...env,
      CDK_DISABLE_CLI_TELEMETRY: "true",
      CDK_VALIDATION: "false",
      // The app command in cdk.json starts `node`: the same Node as this process.
      PATH: [dirname(process.execPath), env.PATH ?? ""].join(delimiter),
    },
  };
}
