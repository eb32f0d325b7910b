/**
 * Makes sure Debian's Chromium is at /usr/bin/chromium before the tests run (npm's `pretest`):
 * the console's browser test drives it with playwright-core, which cannot download a browser
 * here. As root it installs the `chromium` package; otherwise it stops with the command to run.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureDebianBinary, installCommand, runAsScript } from "./debian-package.ts";

/** Where Debian's `chromium` package puts the browser; the tests launch this binary. */
export const DEBIAN_CHROMIUM = "/usr/bin/chromium";
/** What a user without root runs to get it. */
export const INSTALL_CHROMIUM = installCommand("chromium");
/** Headless in a container: no sandbox (no user namespaces), no GPU, nothing fetched from the net. */
export const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] as const;

export class ChromiumMissingError extends Error {
  override readonly name = "ChromiumMissingError";
}

export function ensureChromium(): void {
  ensureDebianBinary({ path: DEBIAN_CHROMIUM, packageName: "chromium", neededFor: "the console's browser test drives Debian's Chromium", error: ChromiumMissingError });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) runAsScript(ensureChromium);
