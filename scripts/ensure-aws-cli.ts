/**
 * Makes sure Debian's aws CLI is at /usr/bin/aws before the tests run (npm's `pretest`):
 * some tests drive the local cloud with it. As root it installs the `awscli` package;
 * otherwise it stops with the command to run. Another `aws` on the PATH (pip's v1, say)
 * does not count: the tests use Debian's v2, which speaks SQS's older query protocol.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Where Debian's `awscli` package puts the CLI; the tests run this binary, not `aws` from the PATH. */
export const DEBIAN_AWS_CLI = "/usr/bin/aws";
/** What a user without root runs to get it. */
export const INSTALL_AWS_CLI = "sudo apt-get update && sudo apt-get install -y awscli";

export class AwsCliMissingError extends Error {
  override readonly name = "AwsCliMissingError";
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs an apt-get step quietly; its output is shown only when it fails. */
function aptGet(args: string[]): void {
  const result = spawnSync("apt-get", args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.error) throw new AwsCliMissingError(`could not run apt-get (${result.error.message}); install Debian's awscli package so that ${DEBIAN_AWS_CLI} exists`);
  if (result.status !== 0) {
    throw new AwsCliMissingError(`apt-get ${args.join(" ")} failed (exit ${result.status}):\n${`${result.stdout}${result.stderr}`.trim()}`);
  }
}

export function ensureAwsCli(): void {
  if (isExecutable(DEBIAN_AWS_CLI)) return;
  if (process.getuid?.() !== 0) {
    throw new AwsCliMissingError(`${DEBIAN_AWS_CLI} is missing: the tests drive the local cloud with Debian's aws CLI. Install it with:\n  ${INSTALL_AWS_CLI}`);
  }
  process.stderr.write(`${DEBIAN_AWS_CLI} is missing; installing Debian's awscli package for the tests\n`);
  aptGet(["update", "-qq"]);
  aptGet(["install", "-y", "-qq", "--no-install-recommends", "awscli"]);
  if (!isExecutable(DEBIAN_AWS_CLI)) throw new AwsCliMissingError(`awscli is installed but ${DEBIAN_AWS_CLI} is still missing`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureAwsCli();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
