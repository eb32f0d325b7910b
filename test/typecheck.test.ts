import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));

// A test file of its own, so `npm test` type-checks beside the other files instead of before all of them.
test("the project and the console's web page type-check (npm run typecheck)", { timeout: 5 * 60_000 }, async () => {
  await run("npm", ["run", "--silent", "typecheck"], { cwd: root, maxBuffer: 16 * 1024 * 1024 }).catch((error: { stdout?: string; stderr?: string }) =>
    assert.fail(`tsc found errors:\n${error.stdout ?? ""}${error.stderr ?? ""}`),
  );
});
