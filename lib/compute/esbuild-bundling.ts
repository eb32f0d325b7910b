import type { ILocalBundling } from "aws-cdk-lib";
import { buildSync } from "esbuild";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Bundles one handler into `index.js` (with its source map) by calling esbuild's API in
 * the synthesizing process. NodejsFunction runs the same esbuild through `npx` in a child
 * shell per function, and starting npx cost more than the bundling itself: about 1.3 s of
 * each function's 2 s here, so most of `cdk synth`.
 */
export class EsbuildBundling implements ILocalBundling {
  constructor(private readonly entry: string) {}

  tryBundle(outputDir: string): boolean {
    buildSync({
      entryPoints: [this.entry],
      outfile: join(outputDir, "index.js"),
      bundle: true,
      platform: "node",
      target: "node22",
      format: "cjs",
      minify: true,
      sourcemap: true,
      logLevel: "warning",
    });
    // The project is ESM; this marks the bundle as CommonJS wherever it is unpacked, so a
    // runtime resolving package scopes never mistakes it for ESM.
    writeFileSync(join(outputDir, "package.json"), JSON.stringify({ type: "commonjs" }));
    return true;
  }
}
