import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_FLAGS, DEBIAN_CHROMIUM } from "../../scripts/ensure-chromium.ts";
import type { ApiClient } from "./support/api-client.ts";
import { startTarget, targetName, waitFor, type E2eTarget } from "./support/target.ts";

/** Where the screenshot goes: git-ignored, kept after the run to be looked at. */
const OUTPUT_DIR = fileURLToPath(new URL("../../test-output/console/", import.meta.url));

const ORDERS = 12;

// The console is the local cloud's own page; LocalStack has none.
if (targetName === "localcloud") {
  describe("the local cloud's live console, in a browser, while orders flow", () => {
    let target: E2eTarget;
    let api: ApiClient;
    let browser: Browser;
    let page: Page;
    const correlationIds: string[] = [];
    const orderIds: string[] = [];
    let flowing: Promise<void>;

    /** Places orders one after another, each with its own correlation id, without waiting for them to fill. */
    async function placeOrders(): Promise<void> {
      for (let i = 0; i < ORDERS; i += 1) {
        const correlationId = `console-e2e-${i}-${randomUUID().slice(0, 8)}`;
        const userId = String((i % 3) + 1);
        const response = await api.post<{ orderId: string }>(userId, "orders", { userId, ticker: i % 2 ? "AAPL" : "PETR4", quantity: 1 + i, side: "BUY" }, { "x-correlation-id": correlationId });
        assert.equal(response.status, 202, `order ${i} was accepted`);
        correlationIds.push(correlationId);
        orderIds.push(response.body.orderId);
      }
    }

    before(async () => {
      target = await startTarget();
      api = target.client("loadTest");
      browser = await chromium.launch({ executablePath: DEBIAN_CHROMIUM, headless: true, args: [...CHROMIUM_FLAGS] });
      page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
      flowing = placeOrders();
      await page.goto(`${target.endpoint}/_localcloud/`);
    });

    after(async () => {
      await flowing?.catch(() => {});
      await browser?.close();
      await target?.stop();
    });

    test("shows every queue with its depth and which queue is whose dead-letter queue", async () => {
      const rows = page.locator("#queues [data-queue]");
      await rows.first().waitFor();
      const names = await rows.evaluateAll((elements) => elements.map((e) => e.getAttribute("data-queue")));
      assert.ok(names.length >= 6, `queues listed: ${names.join(", ")}`);
      for (const depth of await page.locator("#queues [data-field=visible]").allTextContents()) assert.match(depth, /^\d+$/);
      assert.ok((await page.locator("#queues .tag.dlq").count()) >= 3, "dead-letter queues are marked as such");
    });

    test("counts each function's invocations as the orders go through", async () => {
      await flowing;
      for (const fn of ["validate-order", "process-order", "consolidate-portfolio"]) {
        const cell = page.locator(`#functions [data-function="${fn}"] [data-field=invocations]`);
        await waitFor(`${fn}'s invocations on the page`, async () => (Number(await cell.textContent()) > 0 ? true : undefined), 60_000);
      }
    });

    test("draws an order's path across the functions by its correlation id", async () => {
      const correlationId = correlationIds[correlationIds.length - 1] ?? "";
      await page.fill("#timeline input[name=id]", correlationId);
      await page.click("#timeline button[type=submit]");
      const lanes = ["validate-order", "process-order", "consolidate-portfolio", "send-push", "send-email"];
      for (const lane of lanes) await page.locator(`#timeline [data-row="${lane}"] [data-bar=invocation]`).first().waitFor({ timeout: 60_000 });
      // The lanes run in the order the order went through them; push and e-mail run side by side, either first.
      const order = await page.locator("#timeline [data-row]").evaluateAll((elements) => elements.map((e) => e.getAttribute("data-row")));
      const shown = order.filter((name): name is string => name !== null && lanes.includes(name));
      assert.deepEqual(shown.slice(0, 3), lanes.slice(0, 3));
      assert.deepEqual(shown.slice(3).sort(), lanes.slice(3).sort());
      // The log lines are filtered to that correlation id too.
      const chips = await page.locator("#logs .text .chip").allTextContents();
      assert.ok(chips.length > 0 && chips.every((chip) => chip === correlationId), `log lines of ${correlationId} only`);
      mkdirSync(OUTPUT_DIR, { recursive: true });
      const screenshot = join(OUTPUT_DIR, "console.png");
      await page.screenshot({ path: screenshot, fullPage: true });
      process.stdout.write(`console screenshot: ${screenshot}\n`);
    });

    test("finds an order's timeline by its order id too", async () => {
      const [orderId, correlationId] = [orderIds[0] ?? "", correlationIds[0] ?? ""];
      await page.fill("#timeline input[name=id]", orderId);
      await page.click("#timeline button[type=submit]");
      const input = page.locator("#timeline input[name=id]");
      await waitFor(`the order id to resolve to ${correlationId}`, async () => ((await input.inputValue()) === correlationId ? true : undefined));
      await page.locator('#timeline [data-row="validate-order"] [data-bar=invocation]').first().waitFor();
      assert.match(page.url(), new RegExp(`#correlation=${correlationId}$`));
    });
  });
}
