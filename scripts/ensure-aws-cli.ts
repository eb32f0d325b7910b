/**
 * Makes sure Debian's aws CLI is at /usr/bin/aws before the tests run (npm's `pretest`):
 * some tests drive the local cloud with it. As root it installs the `awscli` package;
 * otherwise it stops with the command to run. Another `aws` on the PATH (pip's v1, say)
 * does not count: the tests use Debian's v2, which speaks SQS's older query protocol.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureDebianBinary, installCommand, runAsScript } from "./debian-package.ts";

/** Where Debian's `awscli` package puts the CLI; the tests run this binary, not `aws` from the PATH. */
export const DEBIAN_AWS_CLI = "/usr/bin/aws";
/** What a user without root runs to get it. */
export const INSTALL_AWS_CLI = installCommand("awscli");

export class AwsCliMissingError extends Error {
  override readonly name = "AwsCliMissingError";
}

export function ensureAwsCli(): void {
  ensureDebianBinary({ path: DEBIAN_AWS_CLI, packageName: "awscli", neededFor: "the tests drive the local cloud with Debian's aws CLI", error: AwsCliMissingError });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) runAsScript(ensureAwsCli);
