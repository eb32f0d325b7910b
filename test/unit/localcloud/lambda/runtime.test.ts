import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LambdaService } from "../../../../localcloud/lambda/lambda-service.ts";
import { testCloud, type TestCloud } from "./fixtures.ts";

const ECHO_ENVIRONMENT = `
exports.handler = async (event, context) => ({
  event,
  env: { ...process.env },
  context: {
    awsRequestId: context.awsRequestId,
    functionName: context.functionName,
    functionVersion: context.functionVersion,
    invokedFunctionArn: context.invokedFunctionArn,
    memoryLimitInMB: context.memoryLimitInMB,
    logGroupName: context.logGroupName,
    logStreamName: context.logStreamName,
    remaining: context.getRemainingTimeInMillis(),
    callbackWaitsForEmptyEventLoop: context.callbackWaitsForEmptyEventLoop,
  },
});
`;

describe("Lambda runtime", () => {
  let cloud: TestCloud;
  let lambda: LambdaService;

  before(() => {
    process.env.HOST_ONLY_SECRET = "must-not-leak";
    cloud = testCloud();
    lambda = new LambdaService(cloud.ctx);
  });

  after(async () => {
    await lambda.stop();
    cloud.cleanup();
    delete process.env.HOST_ONLY_SECRET;
  });

  test("a sync invoke returns the handler's result with Lambda's environment and context", async () => {
    const config = cloud.bundle("echo", ECHO_ENVIRONMENT, { environment: { TABLE_NAME: "orders" }, memorySizeMb: 256 });
    lambda.createFunction(config);

    const result = await lambda.invoke(config.functionName, JSON.stringify({ orderId: "o-1" }));

    assert.equal(result.statusCode, 200);
    assert.equal(result.functionError, undefined);
    const body = JSON.parse(result.payload);
    assert.deepEqual(body.event, { orderId: "o-1" });
    assert.equal(body.env.TABLE_NAME, "orders");
    assert.equal(body.env.AWS_REGION, "us-east-1");
    assert.equal(body.env.AWS_DEFAULT_REGION, "us-east-1");
    assert.equal(body.env.AWS_ACCESS_KEY_ID, "test");
    assert.equal(body.env.AWS_SECRET_ACCESS_KEY, "test");
    assert.equal(body.env.AWS_SESSION_TOKEN, undefined);
    assert.equal(body.env.AWS_ENDPOINT_URL, "http://localhost:4566");
    assert.equal(body.env.AWS_LAMBDA_FUNCTION_NAME, config.functionName);
    assert.equal(body.env.AWS_LAMBDA_FUNCTION_VERSION, "$LATEST");
    assert.equal(body.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, "256");
    assert.equal(body.env.AWS_LAMBDA_LOG_GROUP_NAME, `/aws/lambda/${config.functionName}`);
    assert.match(body.env.AWS_LAMBDA_LOG_STREAM_NAME, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.equal(body.env.AWS_EXECUTION_ENV, "AWS_Lambda_nodejs22.x");
    assert.equal(body.env.LAMBDA_TASK_ROOT, config.codeDir);
    assert.equal(body.env._HANDLER, "index.handler");
    assert.equal(body.env.TZ, ":UTC");
    assert.equal(body.env.PATH, process.env.PATH);
    assert.equal(body.env.HOST_ONLY_SECRET, undefined, "the host's environment must not leak into the sandbox");

    assert.match(body.context.awsRequestId, /^[0-9a-f-]{36}$/);
    assert.equal(body.context.functionName, config.functionName);
    assert.equal(body.context.functionVersion, "$LATEST");
    assert.equal(body.context.invokedFunctionArn, `arn:aws:lambda:us-east-1:000000000000:function:${config.functionName}`);
    assert.equal(body.context.memoryLimitInMB, "256");
    assert.equal(body.context.logGroupName, `/aws/lambda/${config.functionName}`);
    assert.equal(body.context.logStreamName, body.env.AWS_LAMBDA_LOG_STREAM_NAME);
    assert.ok(body.context.remaining > 0 && body.context.remaining <= 3000, `remaining ${body.context.remaining}`);
    assert.equal(body.context.callbackWaitsForEmptyEventLoop, true);
  });

  test("a thrown error fails the invocation with Lambda's error payload", async () => {
    const config = cloud.bundle(
      "thrower",
      `class InsufficientCashError extends Error { constructor(m) { super(m); this.name = "InsufficientCashError"; } }
       exports.handler = async () => { throw new InsufficientCashError("cash 10.00 < 405.50"); };`,
    );
    lambda.createFunction(config);

    const result = await lambda.invoke(config.functionName, "{}");

    assert.equal(result.functionError, "Unhandled");
    const error = JSON.parse(result.payload);
    assert.equal(error.errorType, "InsufficientCashError");
    assert.equal(error.errorMessage, "cash 10.00 < 405.50");
    assert.ok(Array.isArray(error.trace) && error.trace[0].includes("InsufficientCashError"));
  });

  test("a handler past its timeout fails with Sandbox.Timedout, and the next invocation works", async () => {
    const config = cloud.bundle(
      "sleeper",
      `exports.handler = async (event) => {
         await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
         return { slept: event.sleepMs };
       };`,
      { timeoutSeconds: 1 },
    );
    lambda.createFunction(config);

    const timedOut = await lambda.invoke(config.functionName, JSON.stringify({ sleepMs: 3000 }));

    assert.equal(timedOut.functionError, "Unhandled");
    const error = JSON.parse(timedOut.payload);
    assert.equal(error.errorType, "Sandbox.Timedout");
    assert.match(error.errorMessage, /^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/);

    const next = await lambda.invoke(config.functionName, JSON.stringify({ sleepMs: 10 }));
    assert.equal(next.functionError, undefined);
    assert.deepEqual(JSON.parse(next.payload), { slept: 10 });
  });

  test("a cold start's init does not count against the timeout, and its REPORT line gives the init's duration", async () => {
    const config = cloud.bundle(
      "slow-init",
      `const initEnds = Date.now() + 1500;
       while (Date.now() < initEnds);
       exports.handler = async (event, context) => ({ remaining: context.getRemainingTimeInMillis() });`,
      { timeoutSeconds: 1 },
    );
    lambda.createFunction(config);

    const cold = await lambda.invoke(config.functionName, "{}");
    assert.equal(cold.functionError, undefined, cold.payload);
    const { remaining } = JSON.parse(cold.payload) as { remaining: number };
    assert.ok(remaining > 800 && remaining <= 1000, `the handler had ${remaining} ms of its 1 s left`);
    const warm = await lambda.invoke(config.functionName, "{}");
    assert.equal(warm.functionError, undefined);

    const reports = cloud.logs.filter((entry) => entry.source === "slow-init" && entry.line.startsWith("REPORT")).map((entry) => entry.line);
    assert.equal(reports.length, 2);
    const [coldReport = "", warmReport = ""] = reports;
    const initMs = Number(/ Init Duration: (\d+\.\d{2}) ms$/.exec(coldReport)?.[1]);
    assert.ok(initMs >= 1500 && initMs < 5000, coldReport);
    const billedMs = Number(/ Billed Duration: (\d+) ms /.exec(coldReport)?.[1]);
    assert.ok(billedMs >= initMs, "the billed duration covers the init");
    assert.doesNotMatch(warmReport, /Init Duration/);
  });

  test("a handler that hangs after a slow init still times out after the function's timeout", async () => {
    const config = cloud.bundle(
      "slow-init-hang",
      `const initEnds = Date.now() + 1200;
       while (Date.now() < initEnds);
       exports.handler = () => new Promise(() => {});`,
      { timeoutSeconds: 1 },
    );
    lambda.createFunction(config);
    const started = Date.now();

    const result = await lambda.invoke(config.functionName, "{}");

    const elapsed = Date.now() - started;
    assert.equal(JSON.parse(result.payload).errorType, "Sandbox.Timedout");
    assert.ok(elapsed >= 2100, `timed out ${elapsed} ms after the invoke: 1.2 s of init, then the 1 s timeout`);
  });

  test("module state survives between warm invocations", async () => {
    const config = cloud.bundle("counter", `let count = 0; exports.handler = async () => ({ count: ++count });`, {
      reservedConcurrency: 1,
    });
    lambda.createFunction(config);

    const counts: number[] = [];
    for (let i = 0; i < 3; i++) counts.push(JSON.parse((await lambda.invoke(config.functionName, "{}")).payload).count);

    assert.deepEqual(counts, [1, 2, 3]);
  });

  test("redeploying a function ends its warm sandboxes, so new code and fresh state run", async () => {
    const first = cloud.bundle("redeploy", `let n = 0; exports.handler = async () => ({ version: 1, n: ++n });`);
    lambda.createFunction(first);
    await lambda.invoke(first.functionName, "{}");
    const second = cloud.bundle("redeploy", `let n = 0; exports.handler = async () => ({ version: 2, n: ++n });`);
    lambda.createFunction(second);

    const result = JSON.parse((await lambda.invoke(second.functionName, "{}")).payload);

    assert.deepEqual(result, { version: 2, n: 1 });
  });

  test("a sandbox that exits fails the invocation and is replaced", async () => {
    const config = cloud.bundle(
      "crasher",
      `let calls = 0;
       exports.handler = async (event) => {
         calls++;
         if (event.exit) process.exit(3);
         if (event.throwLater) { setTimeout(() => { throw new TypeError("late failure"); }, 0); return new Promise(() => {}); }
         return { calls };
       };`,
      { reservedConcurrency: 1 },
    );
    lambda.createFunction(config);

    const exited = await lambda.invoke(config.functionName, JSON.stringify({ exit: true }));
    assert.equal(exited.functionError, "Unhandled");
    assert.equal(JSON.parse(exited.payload).errorType, "Runtime.ExitError");
    assert.match(JSON.parse(exited.payload).errorMessage, /exit status 3/);

    const uncaught = await lambda.invoke(config.functionName, JSON.stringify({ throwLater: true }));
    assert.equal(uncaught.functionError, "Unhandled");
    assert.equal(JSON.parse(uncaught.payload).errorType, "TypeError");
    assert.equal(JSON.parse(uncaught.payload).errorMessage, "late failure");

    const fresh = await lambda.invoke(config.functionName, "{}");
    assert.deepEqual(JSON.parse(fresh.payload), { calls: 1 }, "a new sandbox starts with fresh module state");
  });

  test("callback-style handlers are supported", async () => {
    const config = cloud.bundle("callback", `exports.handler = (event, context, callback) => { setTimeout(() => callback(null, { ok: event.n * 2 }), 5); };`);
    lambda.createFunction(config);

    const result = await lambda.invoke(config.functionName, JSON.stringify({ n: 21 }));

    assert.deepEqual(JSON.parse(result.payload), { ok: 42 });
  });

  test("a missing handler export is reported as Runtime.HandlerNotFound", async () => {
    const config = cloud.bundle("no-export", `exports.other = async () => 1;`);
    lambda.createFunction(config);

    const result = await lambda.invoke(config.functionName, "{}");

    assert.equal(result.functionError, "Unhandled");
    assert.equal(JSON.parse(result.payload).errorType, "Runtime.HandlerNotFound");
  });

  test("an ES module handler (index.mjs) is loaded too", async () => {
    const config = cloud.bundle("esm", "");
    rmSync(join(config.codeDir, "index.js"));
    writeFileSync(join(config.codeDir, "index.mjs"), `export const handler = async (event) => ({ esm: true, got: event.n });`);
    lambda.createFunction(config);

    const result = await lambda.invoke(config.functionName, JSON.stringify({ n: 7 }));

    assert.deepEqual(JSON.parse(result.payload), { esm: true, got: 7 });
  });

  test("a promise rejection nobody handles fails the invocation as Runtime.UnhandledPromiseRejection", async () => {
    const config = cloud.bundle(
      "forgetful",
      `exports.handler = async () => {
         Promise.reject(new Error("quote service down"));
         await new Promise((resolve) => setTimeout(resolve, 1000));
         return "unreachable";
       };`,
    );
    lambda.createFunction(config);

    const result = await lambda.invoke(config.functionName, "{}");

    assert.equal(result.functionError, "Unhandled");
    const error = JSON.parse(result.payload);
    assert.equal(error.errorType, "Runtime.UnhandledPromiseRejection");
    assert.equal(error.errorMessage, "Error: quote service down");
  });
});
