import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-lambda";
import { startHttpServer, type RunningHttpServer } from "../../../../localcloud/http-server.ts";
import { LambdaService } from "../../../../localcloud/lambda/lambda-service.ts";
import type { FunctionConfig } from "../../../../localcloud/types.ts";
import { testCloud, waitFor, type TestCloud } from "./fixtures.ts";

describe("Lambda REST API through the AWS SDK", () => {
  let cloud: TestCloud;
  let lambda: LambdaService;
  let server: RunningHttpServer;
  let client: LambdaClient;
  let echo: FunctionConfig;
  let failing: FunctionConfig;

  before(async () => {
    cloud = testCloud();
    lambda = new LambdaService(cloud.ctx, { asyncRetryDelaysMs: [] });
    echo = cloud.bundle("echo", `exports.handler = async (event) => { console.log("echoing", JSON.stringify(event)); return { received: event }; };`, {
      environment: { TABLE_NAME: "users" },
      timeoutSeconds: 10,
      memorySizeMb: 256,
      reservedConcurrency: 3,
    });
    failing = cloud.bundle("failing", `exports.handler = async () => { throw new RangeError("quantity must be positive"); };`);
    lambda.createFunction(echo);
    lambda.createFunction(failing);
    server = await startHttpServer((request) => lambda.handle(request), { host: "127.0.0.1", port: 0 });
    client = new LambdaClient({
      endpoint: server.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
  });

  after(async () => {
    client.destroy();
    await server.close();
    await lambda.stop();
    cloud.cleanup();
  });

  test("InvokeCommand returns the handler's result", async () => {
    const response = await client.send(
      new InvokeCommand({ FunctionName: echo.functionName, Payload: Buffer.from(JSON.stringify({ ticker: "PETR4" })) }),
    );

    assert.equal(response.StatusCode, 200);
    assert.equal(response.FunctionError, undefined);
    assert.equal(response.ExecutedVersion, "$LATEST");
    assert.deepEqual(JSON.parse(Buffer.from(response.Payload ?? []).toString()), { received: { ticker: "PETR4" } });
  });

  test("LogType Tail returns the invocation's log, as `aws lambda invoke --log-type Tail` shows it", async () => {
    const response = await client.send(
      new InvokeCommand({ FunctionName: echo.functionName, LogType: "Tail", Payload: Buffer.from('{"orderId":"o-9"}') }),
    );

    const log = Buffer.from(response.LogResult ?? "", "base64").toString("utf8");
    assert.match(log, /^START RequestId: /);
    assert.match(log, /\nechoing \{"orderId":"o-9"\}\n/);
    assert.match(log, /\nREPORT RequestId: .* Max Memory Used: \d+ MB( Init Duration: \d+\.\d{2} ms)?\n$/);
  });

  test("InvokeCommand accepts the function's ARN", async () => {
    const arn = `arn:aws:lambda:us-east-1:000000000000:function:${echo.functionName}`;

    const response = await client.send(new InvokeCommand({ FunctionName: arn, Payload: Buffer.from("[1,2]") }));

    assert.deepEqual(JSON.parse(Buffer.from(response.Payload ?? []).toString()), { received: [1, 2] });
  });

  test("a failed invocation carries FunctionError Unhandled and the error payload", async () => {
    const response = await client.send(new InvokeCommand({ FunctionName: failing.functionName, Payload: Buffer.from("{}") }));

    assert.equal(response.StatusCode, 200);
    assert.equal(response.FunctionError, "Unhandled");
    const error = JSON.parse(Buffer.from(response.Payload ?? []).toString());
    assert.equal(error.errorType, "RangeError");
    assert.equal(error.errorMessage, "quantity must be positive");
  });

  test("Event invocations answer 202 and run; DryRun answers 204 and does not", async () => {
    const startsBefore = cloud.logs.filter((entry) => entry.source === "echo" && entry.line.startsWith("START")).length;

    const dryRun = await client.send(new InvokeCommand({ FunctionName: echo.functionName, InvocationType: "DryRun" }));
    const event = await client.send(
      new InvokeCommand({ FunctionName: echo.functionName, InvocationType: "Event", Payload: Buffer.from("{}") }),
    );

    assert.equal(dryRun.StatusCode, 204);
    assert.equal(event.StatusCode, 202);
    assert.equal(Buffer.from(event.Payload ?? []).length, 0);
    await waitFor(() => {
      const starts = cloud.logs.filter((entry) => entry.source === "echo" && entry.line.startsWith("START")).length;
      return starts === startsBefore + 1 ? true : undefined;
    });
  });

  test("ListFunctionsCommand lists every function's configuration", async () => {
    const response = await client.send(new ListFunctionsCommand({}));

    const names = (response.Functions ?? []).map((fn) => fn.FunctionName).sort();
    assert.deepEqual(names, [echo.functionName, failing.functionName].sort());
    const listed = response.Functions?.find((fn) => fn.FunctionName === echo.functionName);
    assert.equal(listed?.FunctionArn, `arn:aws:lambda:us-east-1:000000000000:function:${echo.functionName}`);
    assert.equal(listed?.Runtime, "nodejs22.x");
    assert.equal(listed?.Handler, "index.handler");
    assert.equal(listed?.Timeout, 10);
    assert.equal(listed?.MemorySize, 256);
    assert.deepEqual(listed?.Environment?.Variables, { TABLE_NAME: "users" });
    assert.equal(listed?.State, "Active");
    assert.equal(listed?.LastUpdateStatus, "Successful");
    assert.equal(listed?.PackageType, "Zip");
    assert.match(listed?.Role ?? "", /^arn:aws:iam::000000000000:role\//);
  });

  test("GetFunctionCommand returns the configuration, the code location and reserved concurrency", async () => {
    const response = await client.send(new GetFunctionCommand({ FunctionName: echo.functionName }));

    assert.equal(response.Configuration?.FunctionName, echo.functionName);
    assert.equal(response.Configuration?.Timeout, 10);
    assert.equal(response.Code?.RepositoryType, "S3");
    assert.ok((response.Code?.Location ?? "").length > 0);
    assert.equal(response.Concurrency?.ReservedConcurrentExecutions, 3);
    assert.ok((response.Configuration?.CodeSize ?? 0) > 0);
  });

  test("GetFunctionConfigurationCommand returns the configuration alone", async () => {
    const response = await client.send(new GetFunctionConfigurationCommand({ FunctionName: failing.functionName }));

    assert.equal(response.FunctionName, failing.functionName);
    assert.equal(response.MemorySize, 128);
  });

  test("an unknown function is ResourceNotFoundException", async () => {
    const missing = "Brokerage-NoSuchFunction";

    await assert.rejects(client.send(new InvokeCommand({ FunctionName: missing, Payload: Buffer.from("{}") })), (error: unknown) => {
      assert.ok(error instanceof ResourceNotFoundException);
      assert.equal(error.$metadata.httpStatusCode, 404);
      assert.equal(error.message, `Function not found: arn:aws:lambda:us-east-1:000000000000:function:${missing}`);
      return true;
    });
    await assert.rejects(client.send(new GetFunctionCommand({ FunctionName: missing })), ResourceNotFoundException);
  });

  test("a payload that is not JSON is rejected before any sandbox runs", async () => {
    const response = await lambda.handle({
      method: "POST",
      url: `/2015-03-31/functions/${echo.functionName}/invocations`,
      headers: {},
      body: Buffer.from("{not json"),
    });

    assert.equal(response.statusCode, 400);
    assert.equal(response.headers?.["x-amzn-errortype"], "InvalidRequestContentException");
  });
});
