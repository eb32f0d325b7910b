import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { startLocalCloud, type LocalCloud } from "../../localcloud/cloud.ts";
import { CHROMIUM_FLAGS, DEBIAN_CHROMIUM } from "../../scripts/ensure-chromium.ts";
import { fakeMonitoring } from "../support/console-fakes.ts";

const OUTPUT_DIR = fileURLToPath(new URL("../../test-output/console/", import.meta.url));

/** One point a minute over the range asked, rising, so the chart has a line to draw. */
function perMinute(query: { startTime: Date; endTime: Date }) {
  const timestamps: string[] = [];
  const values: number[] = [];
  for (let t = Math.ceil(query.startTime.getTime() / 60_000) * 60_000; t <= query.endTime.getTime(); t += 60_000) {
    timestamps.push(new Date(t).toISOString());
    values.push(timestamps.length % 7);
  }
  return { timestamps, values };
}

describe("the console with a monitoring, in a browser", () => {
  let cloud: LocalCloud;
  let browser: Browser;
  let page: Page;

  before(async () => {
    cloud = await startLocalCloud({ port: 0, dataDir: "", inMemory: true, monitoring: fakeMonitoring({ points: perMinute }) });
    browser = await chromium.launch({ executablePath: DEBIAN_CHROMIUM, headless: true, args: [...CHROMIUM_FLAGS] });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${cloud.endpoint}/_localcloud/`);
  });

  after(async () => {
    await browser?.close();
    await cloud?.stop();
  });

  test("shows each alarm's state", async () => {
    const state = page.locator('#alarms [data-alarm="OrdersDlqNotEmpty"] .state');
    await state.waitFor();
    assert.equal(await state.textContent(), "ALARM");
  });

  test("draws each dashboard graph as a chart with its series", async () => {
    const chart = page.locator('#charts [data-chart="Orders"]');
    await chart.locator("canvas").waitFor();
    assert.match((await chart.locator(".u-legend").textContent()) ?? "", /filled/);
    assert.doesNotMatch((await chart.locator("figcaption").textContent()) ?? "", /no data/);
    mkdirSync(OUTPUT_DIR, { recursive: true });
    const screenshot = join(OUTPUT_DIR, "monitoring.png");
    await page.screenshot({ path: screenshot, fullPage: true });
    process.stdout.write(`console screenshot: ${screenshot}\n`);
  });
});
