import { HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import assert from "node:assert/strict";
import { test } from "node:test";
import { pathStyleS3Endpoint } from "../../../scripts/s3-endpoint.ts";

const BUCKET = "cdk-hnb659fds-assets-000000000000-us-east-1";

/** Where the S3 SDK sends a request for the bootstrap bucket through `endpoint` (recorded, never sent). */
async function addressFor(endpoint: string): Promise<string> {
  const seen: string[] = [];
  const client = new S3Client({
    region: "us-east-1",
    endpoint,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    requestHandler: {
      handle: async (request: { hostname: string; port?: number; path: string }) => {
        seen.push(`${request.hostname}:${request.port}${request.path}`);
        throw new Error("recorded, not sent");
      },
    },
  });
  await assert.rejects(client.send(new HeadBucketCommand({ Bucket: BUCKET })), /recorded, not sent/);
  client.destroy();
  return seen[0] ?? "";
}

test("localhost becomes 127.0.0.1, an IP endpoint is kept, the port stays", async () => {
  assert.equal(await pathStyleS3Endpoint("http://localhost:4566"), "http://127.0.0.1:4566");
  assert.equal(await pathStyleS3Endpoint("http://127.0.0.1:4566/"), "http://127.0.0.1:4566");
  assert.equal(await pathStyleS3Endpoint("http://10.1.2.3:4510"), "http://10.1.2.3:4510");
});

test("with that endpoint the S3 SDK addresses the asset bucket by path; with a host name it needs the bucket's own DNS name", async () => {
  assert.equal(await addressFor(await pathStyleS3Endpoint("http://localhost:4566")), `127.0.0.1:4566/${BUCKET}/`);
  assert.equal(await addressFor("http://s3.localhost.localstack.cloud:4566"), `${BUCKET}.s3.localhost.localstack.cloud:4566/`);
});
