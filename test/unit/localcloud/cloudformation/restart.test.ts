/**
 * A stack deployed through CloudFormation outlives a restart of the local cloud: the
 * stack is still described, and its function (code from an S3 zip) runs again.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { strToU8, zipSync } from "fflate";
import { startLocalCloud } from "../../../../localcloud/cloud.ts";
import { cloudFormationClient, credentials, deployWithChangeSet } from "./support.ts";

const dataDir = mkdtempSync(join(tmpdir(), "cfn-restart-"));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const template = {
  Resources: {
    Greeter: {
      Type: "AWS::Lambda::Function",
      Properties: {
        FunctionName: "greeter",
        Handler: "index.handler",
        Runtime: "nodejs22.x",
        Code: { S3Bucket: "code", S3Key: "greeter.zip" },
        Environment: { Variables: { GREETING: "hello again" } },
      },
    },
  },
};

test("a deployed stack and its function come back after a restart", async () => {
  const port = 0;
  const first = await startLocalCloud({ port, dataDir });
  const s3 = new S3Client({ endpoint: first.endpoint.replace("localhost", "127.0.0.1"), region: "us-east-1", credentials, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: "code" }));
  const zip = zipSync({ "index.js": strToU8("exports.handler = async () => ({ greeting: process.env.GREETING });") });
  await s3.send(new PutObjectCommand({ Bucket: "code", Key: "greeter.zip", Body: zip }));
  s3.destroy();
  const cfn = cloudFormationClient(first.endpoint);
  const deployed = await deployWithChangeSet(cfn, "Survivor", template);
  assert.equal(deployed.StackStatus, "CREATE_COMPLETE");
  cfn.destroy();
  await first.stop();

  const second = await startLocalCloud({ port, dataDir });
  try {
    await second.restore();
    const again = cloudFormationClient(second.endpoint);
    const stack = (await again.send(new DescribeStacksCommand({ StackName: "Survivor" }))).Stacks?.[0];
    assert.equal(stack?.StackStatus, "CREATE_COMPLETE");
    again.destroy();
    const lambda = new LambdaClient({ endpoint: second.endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
    const result = await lambda.send(new InvokeCommand({ FunctionName: "greeter", Payload: Buffer.from("{}") }));
    lambda.destroy();
    assert.equal(result.FunctionError, undefined);
    assert.deepEqual(JSON.parse(Buffer.from(result.Payload ?? []).toString()), { greeting: "hello again" });
  } finally {
    await second.stop();
  }
});
