import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ConsolePage, pageFingerprint } from "../../../../localcloud/console/console-page.ts";
import { startLocalCloud } from "../../../../localcloud/cloud.ts";
import type { HttpRequest } from "../../../../localcloud/types.ts";

const get = (url: string): HttpRequest => ({ method: "GET", url, headers: {}, body: Buffer.alloc(0) });

describe("the console page", () => {
  const cacheDir = mkdtempSync(join(tmpdir(), "console-page-"));
  after(() => rmSync(cacheDir, { recursive: true, force: true }));

  test("is built once per change of its sources, and reused by every later cloud", async () => {
    const first = await new ConsolePage(cacheDir).prepare();
    assert.equal(first, join(cacheDir, pageFingerprint()));
    const builtAt = readFileSync(join(first, "built"), "utf8");
    const again = await new ConsolePage(cacheDir).prepare();
    assert.equal(again, first);
    assert.equal(readFileSync(join(again, "built"), "utf8"), builtAt, "not rebuilt");
  });

  test("serves the page and its files, and nothing else", async () => {
    const page = new ConsolePage(cacheDir);
    const index = await page.response(get("/_localcloud/"));
    assert.equal(index?.statusCode, 200);
    assert.match(String(index?.headers?.["content-type"]), /text\/html/);
    assert.match(String(index?.body), /<script type="module" src="app.js">/);
    const script = await page.response(get("/_localcloud/app.js?v=1"));
    assert.match(String(script?.headers?.["content-type"]), /javascript/);
    assert.ok(Buffer.byteLength(script?.body ?? "") > 1000);
    assert.equal((await page.response(get("/_localcloud")))?.headers?.location, "/_localcloud/");
    assert.equal(await page.response(get("/_localcloud/missing.js")), undefined);
    assert.equal(await page.response(get("/_localcloud/../package.json")), undefined);
    assert.equal(await page.response(get("/restapis")), undefined);
  });
});

describe("the console on a running local cloud", () => {
  test("is served beside the health and metrics endpoints, which stay as they were", async () => {
    const cloud = await startLocalCloud({ port: 0, dataDir: "", inMemory: true });
    try {
      const page = await fetch(`${cloud.endpoint}/_localcloud/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /Local cloud console/);
      const overview = (await (await fetch(`${cloud.endpoint}/_localcloud/api/overview`)).json()) as { stacks: unknown[]; functions: unknown[]; alarms: unknown; activityFrom: string };
      // The cloud's own CloudWatch answers for alarms and activity: none deployed yet.
      assert.deepEqual([overview.stacks, overview.functions, overview.alarms, overview.activityFrom], [[], [], [], "monitoring"]);
      assert.equal(((await (await fetch(`${cloud.endpoint}/_localcloud/health`)).json()) as { status: string }).status, "running");
      assert.equal((await fetch(`${cloud.endpoint}/_localcloud/metrics`)).status, 200);
    } finally {
      await cloud.stop();
    }
  });
});
