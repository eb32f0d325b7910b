import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LambdaService } from "../../../../localcloud/lambda/lambda-service.ts";
import { testCloud, waitFor, type TestCloud } from "./fixtures.ts";

interface Span {
  readonly start: number;
  readonly end: number;
}

function mostAtOnce(spans: readonly Span[]): number {
  return Math.max(...spans.map((span) => spans.filter((other) => other.start <= span.start && span.start < other.end).length));
}

describe("Lambda concurrency and Event invocations", () => {
  let cloud: TestCloud;
  let lambda: LambdaService;

  before(() => {
    cloud = testCloud();
    lambda = new LambdaService(cloud.ctx, { asyncRetryDelaysMs: [50, 100] });
  });

  after(async () => {
    await lambda.stop();
    cloud.cleanup();
  });

  test("no more sandboxes run at once than the reserved concurrency; the others wait their turn", async () => {
    const config = cloud.bundle(
      "slow",
      `const sandbox = require("node:crypto").randomUUID();
       exports.handler = async () => {
         const start = Date.now();
         await new Promise((resolve) => setTimeout(resolve, 300));
         return { sandbox, start, end: Date.now() };
       };`,
      { reservedConcurrency: 2 },
    );
    lambda.createFunction(config);

    const results = await Promise.all(Array.from({ length: 6 }, () => lambda.invoke(config.functionName, "{}")));

    assert.ok(results.every((result) => result.functionError === undefined));
    const spans = results.map((result) => JSON.parse(result.payload) as Span & { sandbox: string });
    assert.ok(mostAtOnce(spans) <= 2, JSON.stringify(spans));
    assert.equal(new Set(spans.map((span) => span.sandbox)).size, 2, "two sandboxes served the six invocations");
  });

  test("the default concurrency applies when none is reserved", async () => {
    const limited = new LambdaService(cloud.ctx, { defaultConcurrency: 1 });
    try {
      const config = cloud.bundle(
        "default-limit",
        `exports.handler = async () => {
           const start = Date.now();
           await new Promise((resolve) => setTimeout(resolve, 100));
           return { start, end: Date.now() };
         };`,
      );
      limited.createFunction(config);

      const results = await Promise.all(Array.from({ length: 3 }, () => limited.invoke(config.functionName, "{}")));

      assert.equal(mostAtOnce(results.map((result) => JSON.parse(result.payload) as Span)), 1);
    } finally {
      await limited.stop();
    }
  });

  test("an Event invocation returns 202 before the handler finishes, and the handler runs", async () => {
    const release = join(cloud.root, "release");
    const done = join(cloud.root, "done");
    const config = cloud.bundle(
      "background",
      `const fs = require("node:fs");
       exports.handler = async (event) => {
         while (!fs.existsSync(event.release)) await new Promise((resolve) => setTimeout(resolve, 10));
         fs.writeFileSync(event.done, JSON.stringify(event));
       };`,
    );
    lambda.createFunction(config);

    const result = await lambda.invoke(config.functionName, JSON.stringify({ release, done, orderId: "o-7" }), {
      invocationType: "Event",
    });

    assert.equal(result.statusCode, 202);
    assert.equal(result.payload, "");
    assert.equal(existsSync(done), false, "the handler is still waiting for its release");
    writeFileSync(release, "");
    await waitFor(() => (existsSync(done) ? true : undefined), 10_000, "the background handler");
    assert.equal(JSON.parse(readFileSync(done, "utf8")).orderId, "o-7");
  });

  test("a failing Event invocation is retried twice, then dropped", async () => {
    const attempts = join(cloud.root, "attempts");
    const config = cloud.bundle(
      "always-fails",
      `const fs = require("node:fs");
       exports.handler = async (event) => { fs.appendFileSync(event.attempts, "x"); throw new Error("downstream unavailable"); };`,
    );
    lambda.createFunction(config);

    await lambda.invoke(config.functionName, JSON.stringify({ attempts }), { invocationType: "Event" });

    const dropped = await waitFor(
      () => cloud.logs.find((entry) => entry.source === "always-fails" && entry.line.includes("dropped")),
      10_000,
      "the dropped line",
    );
    assert.match(dropped.line, /after 3 attempts/);
    assert.equal(readFileSync(attempts, "utf8"), "xxx");
  });

  test("stop() does not wait for pending retries", async () => {
    const patient = new LambdaService(cloud.ctx, { asyncRetryDelaysMs: [600_000, 600_000] });
    const config = cloud.bundle("fails-once", `exports.handler = async () => { throw new Error("nope"); };`);
    patient.createFunction(config);
    await patient.invoke(config.functionName, "{}", { invocationType: "Event" });
    await waitFor(() => cloud.logs.find((entry) => entry.source === "fails-once" && entry.line.startsWith("REPORT")));

    await patient.stop();

    await assert.rejects(patient.invoke(config.functionName, "{}"), { name: "LambdaServiceStoppedError" });
  });
});
