/**
 * Makes sure Debian's Chromium is at /usr/bin/chromium before the tests run (npm's `pretest`):
 * the console's browser test drives it with playwright-core, which cannot download a browser
 * here. As root it installs the `chromium` package; otherwise it stops with the command to run.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Where Debian's `chromium` package puts the browser; the tests launch this binary. */
export const DEBIAN_CHROMIUM = "/usr/bin/chromium";
/** What a user without root runs to get it. */
export const INSTALL_CHROMIUM = "sudo apt-get update && sudo apt-get install -y chromium";
/** Headless in a container: no sandbox (no user namespaces), no GPU, nothing fetched from the net. */
export const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] as const;

export class ChromiumMissingError extends Error {
  override readonly name = "ChromiumMissingError";
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
  if (result.error) throw new ChromiumMissingError(`could not run apt-get (${result.error.message}); install Debian's chromium package so that ${DEBIAN_CHROMIUM} exists`);
  if (result.status !== 0) {
    throw new ChromiumMissingError(`apt-get ${args.join(" ")} failed (exit ${result.status}):\n${`${result.stdout}${result.stderr}`.trim()}`);
  }
}

export function ensureChromium(): void {
  if (isExecutable(DEBIAN_CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    throw new ChromiumMissingError(`${DEBIAN_CHROMIUM} is missing: the console's browser test drives Debian's Chromium. Install it with:\n  ${INSTALL_CHROMIUM}`);
  }
  process.stderr.write(`${DEBIAN_CHROMIUM} is missing; installing Debian's chromium package for the browser test\n`);
  aptGet(["update", "-qq"]);
  aptGet(["install", "-y", "-qq", "--no-install-recommends", "chromium"]);
  if (!isExecutable(DEBIAN_CHROMIUM)) throw new ChromiumMissingError(`chromium is installed but ${DEBIAN_CHROMIUM} is still missing`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureChromium();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
