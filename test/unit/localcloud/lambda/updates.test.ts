/**
 * Updating a deployed function as `cdk deploy --hotswap` does: new code from a zip in
 * S3 or inline, new configuration, and deletion, through the SDK on a running local cloud.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  ResourceNotFoundException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { strToU8, zipSync } from "fflate";
import { startLocalCloud, type LocalCloud } from "../../../../localcloud/cloud.ts";
import { FunctionNotFoundError } from "../../../../localcloud/lambda/errors.ts";
import { testCloud, waitFor, type TestCloud } from "./fixtures.ts";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const BUCKET = "cdk-hnb659fds-assets-000000000000-us-east-1";

function handlerZip(source: string): Uint8Array {
  return zipSync({ "index.js": strToU8(source) });
}

describe("Lambda function updates", () => {
  let cloud: LocalCloud;
  let files: TestCloud;
  let lambda: LambdaClient;
  let s3: S3Client;
  const logs: { source: string; line: string }[] = [];

  const invoke = async (functionName: string): Promise<unknown> => {
    const response = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from("{}") }));
    return JSON.parse(Buffer.from(response.Payload ?? []).toString());
  };
  const deploy = (name: string, source: string) => {
    const config = files.bundle(name, source, { environment: { STAGE: "one" } });
    cloud.services.lambda.createFunction(config);
    return config.functionName;
  };

  before(async () => {
    files = testCloud();
    cloud = await startLocalCloud({ port: 0, dataDir: "unused", inMemory: true, log: (source, line) => logs.push({ source, line }) });
    lambda = new LambdaClient({ endpoint: cloud.endpoint, region: "us-east-1", credentials });
    s3 = new S3Client({ endpoint: cloud.endpoint.replace("localhost", "127.0.0.1"), region: "us-east-1", credentials });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });

  after(async () => {
    lambda.destroy();
    s3.destroy();
    await cloud.stop();
    files.cleanup();
  });

  test("UpdateFunctionCode from a zip in S3 changes what Invoke returns, and the CodeSha256", async () => {
    const name = deploy("from-s3", `exports.handler = async () => "version one";`);
    assert.equal(await invoke(name), "version one");
    const before = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "0123abcd.zip", Body: handlerZip(`exports.handler = async () => "version two";`) }));

    const updated = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, S3Bucket: BUCKET, S3Key: "0123abcd.zip" }));

    assert.notEqual(updated.CodeSha256, before.CodeSha256);
    assert.equal(await invoke(name), "version two");
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    assert.equal(fn.Configuration?.State, "Active");
    assert.equal(fn.Configuration?.LastUpdateStatus, "Successful");
    assert.equal(fn.Configuration?.CodeSha256, updated.CodeSha256);
    assert.deepEqual(fn.Configuration?.Environment?.Variables, { STAGE: "one" });
  });

  test("UpdateFunctionCode with an inline ZipFile works too", async () => {
    const name = deploy("inline", `exports.handler = async () => 1;`);

    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: handlerZip(`exports.handler = async () => 2;`) }));

    assert.equal(await invoke(name), 2);
  });

  test("an invocation running during an update finishes on the old code; the next one runs the new", async () => {
    const name = deploy("in-flight", `exports.handler = async () => { await new Promise((r) => setTimeout(r, 300)); return "old"; };`);
    const running = invoke(name);
    await waitFor(() => logs.find((entry) => entry.source === "in-flight" && entry.line.startsWith("START ")), 10_000, "the invocation to start");

    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: handlerZip(`exports.handler = async () => "new";`) }));

    assert.equal(await running, "old");
    assert.equal(await invoke(name), "new");
  });

  test("UpdateFunctionConfiguration changes the environment an invocation sees, and the reported configuration", async () => {
    const name = deploy("configured", `exports.handler = async () => process.env.STAGE ?? "unset";`);
    assert.equal(await invoke(name), "one");

    const updated = await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: name,
        Environment: { Variables: { STAGE: "two" } },
        Timeout: 20,
        MemorySize: 512,
        Description: "hotswapped",
      }),
    );

    assert.equal(await invoke(name), "two");
    assert.deepEqual([updated.Timeout, updated.MemorySize, updated.Description], [20, 512, "hotswapped"]);
    const reported = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    assert.deepEqual(reported.Environment?.Variables, { STAGE: "two" });
    assert.equal(reported.LastUpdateStatus, "Successful");
  });

  test("an out-of-range Timeout and a zip missing from S3 are InvalidParameterValueException", async () => {
    const name = deploy("invalid", `exports.handler = async () => "unchanged";`);

    await assert.rejects(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 901 })), {
      name: "InvalidParameterValueException",
    });
    await assert.rejects(lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, S3Bucket: BUCKET, S3Key: "absent.zip" })), {
      name: "InvalidParameterValueException",
      message: /NoSuchKey/,
    });
    assert.equal(await invoke(name), "unchanged");
  });

  test("a deleted function answers 404 ResourceNotFoundException, through the SDK and in-process", async () => {
    const viaSdk = deploy("deleted", `exports.handler = async () => "here";`);
    assert.equal(await invoke(viaSdk), "here");

    await lambda.send(new DeleteFunctionCommand({ FunctionName: viaSdk }));

    const error = await lambda.send(new InvokeCommand({ FunctionName: viaSdk })).catch((thrown: unknown) => thrown);
    assert.ok(error instanceof ResourceNotFoundException);
    assert.equal(error.$metadata.httpStatusCode, 404);
    await assert.rejects(lambda.send(new DeleteFunctionCommand({ FunctionName: viaSdk })), ResourceNotFoundException);

    const inProcess = deploy("deleted-in-process", `exports.handler = async () => "here";`);
    cloud.services.lambda.deleteFunction(inProcess);
    await assert.rejects(lambda.send(new GetFunctionCommand({ FunctionName: inProcess })), ResourceNotFoundException);
    assert.throws(() => cloud.services.lambda.deleteFunction(inProcess), FunctionNotFoundError);
  });
});
