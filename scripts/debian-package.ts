/**
 * Makes sure a binary from a Debian package is there before the tests run: as root it installs
 * the package with apt-get; otherwise it stops with the command to run. Shared by the aws CLI
 * and Chromium checks of npm's `pretest`.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";

export interface DebianBinary {
  /** Where the package puts the binary the tests run, e.g. "/usr/bin/aws". */
  readonly path: string;
  /** The Debian package, e.g. "awscli". */
  readonly packageName: string;
  /** Why the tests need it, for the messages. */
  readonly neededFor: string;
  /** The error a missing binary is reported with. */
  readonly error: new (message: string) => Error;
}

/** What a user without root runs to get the package. */
export const installCommand = (packageName: string): string => `sudo apt-get update && sudo apt-get install -y ${packageName}`;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs an apt-get step quietly; its output is shown only when it fails. */
function aptGet(binary: DebianBinary, args: string[]): void {
  const result = spawnSync("apt-get", args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.error) throw new binary.error(`could not run apt-get (${result.error.message}); install Debian's ${binary.packageName} package so that ${binary.path} exists`);
  if (result.status !== 0) {
    throw new binary.error(`apt-get ${args.join(" ")} failed (exit ${result.status}):\n${`${result.stdout}${result.stderr}`.trim()}`);
  }
}

export function ensureDebianBinary(binary: DebianBinary): void {
  if (isExecutable(binary.path)) return;
  if (process.getuid?.() !== 0) {
    throw new binary.error(`${binary.path} is missing: ${binary.neededFor}. Install it with:\n  ${installCommand(binary.packageName)}`);
  }
  process.stderr.write(`${binary.path} is missing; installing Debian's ${binary.packageName} package for the tests\n`);
  aptGet(binary, ["update", "-qq"]);
  aptGet(binary, ["install", "-y", "-qq", "--no-install-recommends", binary.packageName]);
  if (!isExecutable(binary.path)) throw new binary.error(`${binary.packageName} is installed but ${binary.path} is still missing`);
}

/** The body of a check run as a script: the error's message and exit code 1 instead of a stack trace. */
export function runAsScript(check: () => void): void {
  try {
    check();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
