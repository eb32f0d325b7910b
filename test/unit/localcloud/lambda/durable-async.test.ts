import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { LambdaService } from "../../../../localcloud/lambda/lambda-service.ts";
import { testCloud, waitFor, type TestCloud } from "./fixtures.ts";

const here = dirname(fileURLToPath(import.meta.url));

/** Appends to `event.runs` on start, waits for `event.release`, then appends to `event.done`. */
const WAITS_FOR_RELEASE = `const fs = require("node:fs");
exports.handler = async (event) => {
  fs.appendFileSync(event.runs, "started\\n");
  while (!fs.existsSync(event.release)) await new Promise((resolve) => setTimeout(resolve, 10));
  fs.appendFileSync(event.done, "x");
};`;

const storedFiles = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith(".json")) : []);
const read = (file: string): string => (existsSync(file) ? readFileSync(file, "utf8") : "");

describe("Event invocations kept on disk", () => {
  let cloud: TestCloud;
  const services: LambdaService[] = [];
  const service = (options: ConstructorParameters<typeof LambdaService>[1]): LambdaService => {
    const lambda = new LambdaService(cloud.ctx, options);
    services.push(lambda);
    return lambda;
  };

  before(() => {
    cloud = testCloud();
  });

  after(async () => {
    await Promise.all(services.map((lambda) => lambda.stop()));
    cloud.cleanup();
  });

  test("an invocation cut off by a stop runs on a new service over the same folder once its function is created", async () => {
    const dir = join(cloud.root, "queue-stop");
    const event = { runs: join(cloud.root, "stop-runs"), release: join(cloud.root, "stop-release"), done: join(cloud.root, "stop-done") };
    const config = cloud.bundle("cut-off", WAITS_FOR_RELEASE);
    const first = service({ asyncQueueDir: dir });
    first.createFunction(config);

    const accepted = await first.invoke(config.functionName, JSON.stringify(event), { invocationType: "Event" });
    assert.equal(accepted.statusCode, 202);
    assert.equal(storedFiles(dir).length, 1, "kept on disk before the 202");
    await waitFor(() => (read(event.runs) !== "" ? true : undefined), 10_000, "the first attempt to start");
    await first.stop();
    assert.equal(read(event.done), "", "the first service never finished it");
    assert.equal(storedFiles(dir).length, 1, "still pending after the stop");

    writeFileSync(event.release, "");
    const second = service({ asyncQueueDir: dir });
    second.createFunction(config);

    await waitFor(() => (read(event.done) === "x" ? true : undefined), 10_000, "the replayed invocation");
    await waitFor(() => (storedFiles(dir).length === 0 ? true : undefined), 10_000, "the finished invocation to be forgotten");
    assert.ok(cloud.logs.some((entry) => entry.source === "lambda" && /Replaying 1 pending async invocation\(s\) of cut-off/.test(entry.line)));
  });

  test("a succeeded invocation is forgotten and not run again by the next service", async () => {
    const dir = join(cloud.root, "queue-done");
    const runs = join(cloud.root, "done-runs");
    const config = cloud.bundle("succeeds", `exports.handler = async (event) => { require("node:fs").appendFileSync(event.runs, "x"); };`);
    const first = service({ asyncQueueDir: dir });
    first.createFunction(config);
    await first.invoke(config.functionName, JSON.stringify({ runs }), { invocationType: "Event" });
    await waitFor(() => (storedFiles(dir).length === 0 ? true : undefined), 10_000, "the succeeded invocation to be forgotten");
    await first.stop();
    const logged = cloud.logs.length;

    const second = service({ asyncQueueDir: dir });
    second.createFunction(config);

    // Replays start inside createFunction, so their absence shows at once.
    assert.equal(read(runs), "x");
    assert.ok(!cloud.logs.slice(logged).some((entry) => entry.line.includes("Replaying")));
  });

  test("an invocation dropped after its retries is forgotten", async () => {
    const dir = join(cloud.root, "queue-dropped");
    const config = cloud.bundle("keeps-failing", `exports.handler = async () => { throw new Error("still down"); };`);
    const lambda = service({ asyncQueueDir: dir, asyncRetryDelaysMs: [10, 10] });
    lambda.createFunction(config);
    await lambda.invoke(config.functionName, "{}", { invocationType: "Event" });
    await waitFor(() => cloud.logs.find((entry) => entry.source === "keeps-failing" && entry.line.includes("dropped")), 10_000, "the drop");
    await waitFor(() => (storedFiles(dir).length === 0 ? true : undefined), 10_000, "the dropped invocation to be forgotten");
  });

  test("a replayed invocation gets only the attempts it has left", async () => {
    const dir = join(cloud.root, "queue-retries");
    const attempts = join(cloud.root, "retry-attempts");
    const config = cloud.bundle(
      "fails-with-retries",
      `exports.handler = async (event) => { require("node:fs").appendFileSync(event.attempts, "x"); throw new Error("down"); };`,
    );
    // Three attempts in all; the first service makes one and then waits (too long) for the retry.
    const first = service({ asyncQueueDir: dir, asyncRetryDelaysMs: [600_000, 600_000] });
    first.createFunction(config);
    await first.invoke(config.functionName, JSON.stringify({ attempts }), { invocationType: "Event" });
    await waitFor(() => {
      const [file] = storedFiles(dir);
      return file !== undefined && (JSON.parse(read(join(dir, file))) as { retriesDone: number }).retriesDone === 1 ? true : undefined;
    }, 10_000, "the first retry to be recorded");
    await first.stop();

    const second = service({ asyncQueueDir: dir, asyncRetryDelaysMs: [10, 10] });
    second.createFunction(config);

    const dropped = await waitFor(
      () => cloud.logs.find((entry) => entry.source === "fails-with-retries" && entry.line.includes("dropped")),
      10_000,
      "the drop",
    );
    assert.match(dropped.line, /after 3 attempts/);
    assert.equal(read(attempts), "xxx");
  });

  test("an invocation accepted just before a kill -9 runs after the restart", async () => {
    const dir = join(cloud.root, "queue-kill");
    const event = { runs: join(cloud.root, "kill-runs"), release: join(cloud.root, "kill-release"), done: join(cloud.root, "kill-done") };
    const config = cloud.bundle("killed", WAITS_FOR_RELEASE);
    const child = spawn(process.execPath, ["--import", "tsx", join(here, "event-accept-child.ts"), JSON.stringify(config), dir, JSON.stringify(event)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    let output = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("accepted")) resolve();
      });
      child.on("exit", () => reject(new Error(`the child exited before accepting: ${output}`)));
    });
    assert.match(output, /accepted 202/);
    child.kill("SIGKILL");
    assert.equal(await exited, "SIGKILL");
    assert.equal(read(event.done), "");

    writeFileSync(event.release, "");
    const restarted = service({ asyncQueueDir: dir });
    restarted.createFunction(config);

    await waitFor(() => (read(event.done) === "x" ? true : undefined), 10_000, "the invocation kept across the kill");
    await waitFor(() => (storedFiles(dir).length === 0 ? true : undefined), 10_000, "the finished invocation to be forgotten");
  });
});
