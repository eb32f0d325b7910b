import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";
import { EsbuildBundling, FolderBundles } from "../../lib/compute/esbuild-bundling.ts";

const functions = fileURLToPath(new URL("../../functions", import.meta.url));

/** The handlers bundled in one esbuild run must be byte for byte what a build of each alone gives, or every asset hash would change. */
describe("handler bundles built together", () => {
  const root = mkdtempSync(join(tmpdir(), "handler-bundles-"));
  after(() => rmSync(root, { recursive: true, force: true }));

  test("give the same index.js, source map and package.json as a build of the handler alone", () => {
    const entry = join(functions, "send-push.ts");
    // Side by side, so the source maps' relative paths are the same from both.
    const alone = mkdtempSync(join(root, "alone-"));
    const together = mkdtempSync(join(root, "together-"));
    new EsbuildBundling(entry).tryBundle(alone);
    new EsbuildBundling(entry, new FolderBundles(functions)).tryBundle(together);
    for (const file of ["index.js", "index.js.map", "package.json"]) {
      assert.ok(readFileSync(join(together, file)).equals(readFileSync(join(alone, file))), `${file} differs`);
    }
    assert.match(readFileSync(join(together, "index.js"), "utf8"), /\/\/# sourceMappingURL=index\.js\.map\s*$/);
  });

  test("refuse an entry outside their folder", () => {
    const outside = fileURLToPath(new URL("../../bin/brokerage.ts", import.meta.url));
    assert.throws(() => new FolderBundles(functions).copyTo(outside, mkdtempSync(join(root, "outside-"))), /is not a handler of/);
  });
});

