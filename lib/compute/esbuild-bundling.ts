import type { ILocalBundling } from "aws-cdk-lib";
import { buildSync, type BuildOptions } from "esbuild";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative, resolve, sep } from "node:path";

const OPTIONS: BuildOptions = { bundle: true, platform: "node", target: "node22", format: "cjs", minify: true, sourcemap: true, logLevel: "warning" };

/**
 * Bundles one handler into `index.js` (with its source map) by calling esbuild's API in
 * the synthesizing process. NodejsFunction runs the same esbuild through `npx` in a child
 * shell per function, and starting npx cost more than the bundling itself: about 1.3 s of
 * each function's 2 s here, so most of `cdk synth`. Given the handlers' folder, it takes
 * the handler's bundle from one esbuild run over all of them (FolderBundles).
 */
export class EsbuildBundling implements ILocalBundling {
  constructor(
    private readonly entry: string,
    private readonly folder?: FolderBundles,
  ) {}

  tryBundle(outputDir: string): boolean {
    if (this.folder === undefined) buildSync({ ...OPTIONS, entryPoints: [this.entry], outfile: join(outputDir, "index.js") });
    else this.folder.copyTo(this.entry, outputDir);
    // The project is ESM; this marks the bundle as CommonJS wherever it is unpacked, so a
    // runtime resolving package scopes never mistakes it for ESM.
    writeFileSync(join(outputDir, "package.json"), JSON.stringify({ type: "commonjs" }));
    return true;
  }
}

/**
 * Every handler of a folder (each `.ts` file directly in it is one) bundled by one esbuild
 * run, the first time one of them is asked for: esbuild then parses the modules they share
 * (the AWS SDK, Powertools) once and works on all cores — 2.3 s for the twelve handlers
 * here, against 5.0 s one at a time. The bundles wait in a temporary folder until the
 * process ends.
 */
export class FolderBundles {
  private built: string | undefined;

  constructor(readonly folder: string) {}

  /** Writes the entry's bundle as `index.js` and its source map, as a build of that entry alone into `outputDir` would. */
  copyTo(entry: string, outputDir: string): void {
    const name = basename(entry, ".ts");
    if (resolve(entry) !== resolve(this.folder, `${name}.ts`)) throw new Error(`${entry} is not a handler of ${this.folder}`);
    const built = this.build();
    const code = readFileSync(join(built, `${name}.js`), "utf8");
    writeFileSync(join(outputDir, "index.js"), code.replace(new RegExp(`//# sourceMappingURL=${name}\\.js\\.map\\s*$`), "//# sourceMappingURL=index.js.map\n"));
    // Source paths are relative to the map: make them relative to where it now lies. Only
    // that line changes, in esbuild's own layout, so the asset's hash is a single build's.
    const map = readFileSync(join(built, `${name}.js.map`), "utf8");
    const { sources } = JSON.parse(map) as { sources: string[] };
    const moved = sources.map((source) => JSON.stringify(relative(outputDir, resolve(built, source)).split(sep).join("/")));
    writeFileSync(join(outputDir, "index.js.map"), map.replace(/^ {2}"sources": \[.*\],$/m, () => `  "sources": [${moved.join(", ")}],`));
  }

  private build(): string {
    if (this.built !== undefined) return this.built;
    const entries = readdirSync(this.folder).filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts")).map((file) => join(this.folder, file));
    const outdir = mkdtempSync(join(tmpdir(), "brokerage-bundles-"));
    process.once("exit", () => rmSync(outdir, { recursive: true, force: true }));
    buildSync({ ...OPTIONS, entryPoints: entries, outdir });
    this.built = outdir;
    return outdir;
  }
}
