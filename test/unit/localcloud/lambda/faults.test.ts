import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { seededRandom } from "../../../../localcloud/lambda/fault-injection.ts";
import { LambdaService, type LambdaServiceOptions } from "../../../../localcloud/lambda/lambda-service.ts";
import { testCloud, type TestCloud } from "./fixtures.ts";

interface ErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
}

/** Numbers from a script, so a test decides each draw. */
const scripted = (...values: number[]) => () => {
  const value = values.shift();
  if (value === undefined) throw new Error("the script ran out of numbers");
  return value;
};

describe("Lambda fault injection", () => {
  let cloud: TestCloud;
  const services: LambdaService[] = [];
  const service = (options: LambdaServiceOptions): LambdaService => {
    const lambda = new LambdaService(cloud.ctx, options);
    services.push(lambda);
    return lambda;
  };
  const chaosLines = () => cloud.logs.filter((entry) => entry.source === "chaos").map((entry) => entry.line);

  before(() => {
    cloud = testCloud();
  });

  after(async () => {
    await Promise.all(services.map((lambda) => lambda.stop()));
    cloud.cleanup();
  });

  test("with crashRate 1 every invocation crashes mid-way and is reported as a crash", async () => {
    const config = cloud.bundle("crashy", `exports.handler = async () => { console.log("working"); return { ok: true }; };`);
    const lambda = service({ faults: { crashRate: 1 } });
    lambda.createFunction(config);
    const before = chaosLines().length;

    const results = [];
    for (let i = 0; i < 3; i++) results.push(await lambda.invoke(config.functionName, "{}"));

    for (const result of results) {
      assert.equal(result.functionError, "Unhandled");
      const error = JSON.parse(result.payload) as ErrorPayload;
      assert.equal(error.errorType, "Runtime.ExitError");
      assert.match(error.errorMessage, /injected fault/);
    }
    const injected = chaosLines().slice(before);
    assert.equal(injected.length, 3);
    assert.ok(injected.every((line) => line.includes("crashed the sandbox of crashy")));
  });

  test("a crash cuts off a handler that is still running", async () => {
    const started = join(cloud.root, "slow-started");
    const finished = join(cloud.root, "slow-finished");
    const config = cloud.bundle(
      "slow-crashy",
      `const fs = require("node:fs");
       exports.handler = async (event) => {
         fs.writeFileSync(event.started, "");
         await new Promise((resolve) => setTimeout(resolve, 2000));
         fs.writeFileSync(event.finished, "");
       };`,
      { timeoutSeconds: 10 },
    );
    const lambda = service({ faults: { crashRate: 1 } });
    lambda.createFunction(config);

    const result = await lambda.invoke(config.functionName, JSON.stringify({ started, finished }));

    assert.equal(result.functionError, "Unhandled");
    assert.equal(existsSync(started), true, "the handler had started");
    assert.equal(existsSync(finished), false, "the handler was killed before it finished");
  });

  test("with timeoutRate 1 every invocation ends as timed out", async () => {
    const config = cloud.bundle("timing-out", `exports.handler = async () => "fine";`);
    const lambda = service({ faults: { crashRate: 0, timeoutRate: 1 } });
    lambda.createFunction(config);
    const before = chaosLines().length;

    const result = await lambda.invoke(config.functionName, "{}");

    assert.equal(result.functionError, "Unhandled");
    const error = JSON.parse(result.payload) as ErrorPayload;
    assert.equal(error.errorType, "Sandbox.Timedout");
    assert.match(error.errorMessage, /Task timed out after 3\.00 seconds \(injected fault\)/);
    assert.deepEqual(chaosLines().slice(before).length, 1);
  });

  test("a new sandbox serves the invocation after an injected crash", async () => {
    const config = cloud.bundle("recovers", `exports.handler = async () => "fine";`);
    // Crash (after 0 ms), then neither crash nor timeout.
    const lambda = service({ faults: { crashRate: 0.5, timeoutRate: 0.5, random: scripted(0.1, 0, 0.9, 0.9) } });
    lambda.createFunction(config);

    const crashed = await lambda.invoke(config.functionName, "{}");
    const served = await lambda.invoke(config.functionName, "{}");

    assert.equal(crashed.functionError, "Unhandled");
    assert.equal(served.functionError, undefined);
    assert.equal(served.payload, '"fine"');
  });

  test("without faults (the default) nothing is injected", async () => {
    const config = cloud.bundle("calm", `exports.handler = async () => "fine";`);
    const before = chaosLines().length;
    for (const options of [{}, { faults: { crashRate: 0, timeoutRate: 0 } }]) {
      const lambda = service(options);
      lambda.createFunction(config);
      for (let i = 0; i < 3; i++) assert.equal((await lambda.invoke(config.functionName, "{}")).functionError, undefined);
    }
    assert.equal(chaosLines().length, before);
  });

  test("a seeded run repeats the same faults", async () => {
    const config = cloud.bundle("seeded", `exports.handler = async () => "fine";`);
    const run = async (): Promise<boolean[]> => {
      const lambda = service({ faults: { crashRate: 0.5, random: seededRandom(42) } });
      lambda.createFunction(config);
      const crashed: boolean[] = [];
      for (let i = 0; i < 8; i++) crashed.push((await lambda.invoke(config.functionName, "{}")).functionError !== undefined);
      return crashed;
    };

    const first = await run();
    const second = await run();

    assert.deepEqual(second, first);
    assert.ok(first.includes(true) && first.includes(false), `a mix of crashes and successes: ${JSON.stringify(first)}`);
  });

  test("seededRandom gives the same numbers for the same seed, other numbers for another", () => {
    const draw = (seed: number) => Array.from({ length: 5 }, seededRandom(seed));
    assert.deepEqual(draw(1), draw(1));
    assert.notDeepEqual(draw(1), draw(2));
    assert.ok(draw(3).every((value) => value >= 0 && value < 1));
  });

  test("a rate outside 0–1 is refused", () => {
    assert.throws(() => new LambdaService(cloud.ctx, { faults: { crashRate: 1.5 } }), RangeError);
    assert.throws(() => new LambdaService(cloud.ctx, { faults: { crashRate: 0, timeoutRate: -0.1 } }), RangeError);
  });
});
