/** Helpers for the Lambda service tests: handler bundles in a temp folder, a cloud context that keeps its log. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CloudContext, FunctionConfig } from "../../../../localcloud/types.ts";

export interface LogLine {
  readonly source: string;
  readonly line: string;
  /** The log stream of the sandbox that wrote it, for a function's lines. */
  readonly stream?: string;
}

export interface TestCloud {
  readonly ctx: CloudContext;
  readonly logs: LogLine[];
  readonly root: string;
  /** Writes `source` as `<name>/index.js` and returns a config for it. */
  bundle(name: string, source: string, overrides?: Partial<FunctionConfig>): FunctionConfig;
  cleanup(): void;
}

export function testCloud(): TestCloud {
  const root = mkdtempSync(join(tmpdir(), "lambda-test-"));
  const logs: LogLine[] = [];
  const ctx: CloudContext = {
    region: "us-east-1",
    accountId: "000000000000",
    endpoint: "http://localhost:4566",
    dataDir: join(root, "data"),
    log: (source, line, stream) => logs.push({ source, line, ...(stream === undefined ? {} : { stream }) }),
  };
  return {
    ctx,
    logs,
    root,
    bundle(name, source, overrides = {}) {
      const codeDir = join(root, name);
      mkdirSync(codeDir, { recursive: true });
      writeFileSync(join(codeDir, "index.js"), source);
      return {
        functionName: `Test-${name}-ABC123`,
        displayName: name,
        codeDir,
        handler: "index.handler",
        runtime: "nodejs22.x",
        timeoutSeconds: 3,
        memorySizeMb: 128,
        environment: {},
        ...overrides,
      };
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
