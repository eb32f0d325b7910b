/**
 * The console's web page: built from `web/` with esbuild the first time it is asked for
 * after its sources change, and kept under node_modules/.cache by a hash of those sources
 * (and the lock file, for the libraries it bundles), so a test run builds it at most once.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { extname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { HttpRequest, HttpResponse } from "../types.ts";

export const CONSOLE_PATH = "/_localcloud/";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const WEB_DIR = join(HERE, "web");
const PROJECT_DIR = resolve(HERE, "..", "..");
const CACHE_DIR = join(PROJECT_DIR, "node_modules", ".cache", "localcloud-console");
const BUILT_MARK = "built";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

function collect(path: string, into: string[]): void {
  if (statSync(path).isDirectory()) for (const name of readdirSync(path)) collect(join(path, name), into);
  else into.push(path);
}

/** What the built page depends on: its sources, this builder and the locked library versions. */
export function pageFingerprint(): string {
  const files: string[] = [fileURLToPath(import.meta.url), join(PROJECT_DIR, "package-lock.json")];
  collect(WEB_DIR, files);
  const hash = createHash("sha256");
  for (const file of files.sort()) {
    if (existsSync(file)) hash.update(relative(PROJECT_DIR, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

/** Builds into a temporary folder renamed into place, so two processes never see half a build. */
async function build(target: string): Promise<void> {
  // esbuild is a devDependency like the rest of the local cloud's toolchain; loaded only when a build is due.
  const { build: esbuild } = await import("esbuild");
  const staging = `${target}.${process.pid}.${Date.now()}`;
  await esbuild({
    entryPoints: { app: join(WEB_DIR, "main.tsx") },
    bundle: true,
    outdir: staging,
    format: "esm",
    target: "es2022",
    minify: true,
    jsx: "automatic",
    jsxImportSource: "preact",
    tsconfig: join(WEB_DIR, "tsconfig.json"),
    logLevel: "silent",
  });
  writeFileSync(join(staging, "index.html"), readFileSync(join(WEB_DIR, "index.html")));
  writeFileSync(join(staging, BUILT_MARK), new Date().toISOString());
  try {
    renameSync(staging, target);
  } catch (error) {
    // Another process finished the same build first: theirs is as good.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(target, BUILT_MARK))) throw error;
  }
}

export class ConsolePage {
  private built: Promise<string> | undefined;

  constructor(private readonly cacheDir: string = CACHE_DIR) {}

  /** The folder of the built page, building it first if its sources changed. */
  prepare(): Promise<string> {
    this.built ??= (async () => {
      const target = join(this.cacheDir, pageFingerprint());
      if (!existsSync(join(target, BUILT_MARK))) {
        mkdirSync(this.cacheDir, { recursive: true });
        await build(target);
      }
      return target;
    })();
    // A failed build is tried again on the next request, not remembered.
    this.built.catch(() => (this.built = undefined));
    return this.built;
  }

  /** The page or one of its files, or undefined when the request is for something else. */
  async response(request: HttpRequest): Promise<HttpResponse | undefined> {
    const path = request.url.split("?")[0] ?? "";
    if (path === "/_localcloud") return { statusCode: 302, headers: { location: CONSOLE_PATH } };
    if (!path.startsWith(CONSOLE_PATH) || request.method !== "GET") return undefined;
    const name = path === CONSOLE_PATH ? "index.html" : path.slice(CONSOLE_PATH.length);
    const type = CONTENT_TYPES[extname(name)];
    if (type === undefined || name.includes("/")) return undefined;
    let folder: string;
    try {
      folder = await this.prepare();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { statusCode: 503, headers: { "content-type": "text/plain; charset=utf-8" }, body: `The console page could not be built: ${reason}` };
    }
    const file = join(folder, name);
    if (!existsSync(file)) return undefined;
    return { statusCode: 200, headers: { "content-type": type, "cache-control": "no-cache" }, body: readFileSync(file) };
  }
}
