/** S3 on the local cloud's endpoint through the AWS SDK (path style, as for an IP endpoint), and in-process. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketEncryptionCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { startLocalCloud, type LocalCloud } from "../../../../localcloud/cloud.ts";
import { BucketAlreadyOwnedByYouError, BucketNotEmptyError, NoSuchBucketError, NoSuchKeyError } from "../../../../localcloud/s3/index.ts";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };

function s3Client(cloud: LocalCloud): S3Client {
  // An IP host, so the SDK addresses buckets in the path, as deploy scripts do with AWS_ENDPOINT_URL_S3.
  return new S3Client({ endpoint: cloud.endpoint.replace("localhost", "127.0.0.1"), region: "us-east-1", credentials });
}

async function errorOf(promise: Promise<unknown>): Promise<S3ServiceException> {
  const error = await promise.then(
    () => assert.fail("expected the call to fail"),
    (thrown: unknown) => thrown,
  );
  assert.ok(error instanceof S3ServiceException, `expected an S3 error, got ${String(error)}`);
  return error;
}

describe("S3 through the SDK", () => {
  let cloud: LocalCloud;
  let s3: S3Client;

  before(async () => {
    cloud = await startLocalCloud({ port: 0, dataDir: "unused", inMemory: true });
    s3 = s3Client(cloud);
    await s3.send(new CreateBucketCommand({ Bucket: "assets" }));
  });

  after(async () => {
    s3.destroy();
    await cloud.stop();
  });

  test("an object put is read back, listed, headed and deleted", async () => {
    await s3.send(new PutObjectCommand({ Bucket: "assets", Key: "code/abc123.zip", Body: "zip bytes", ContentType: "application/zip" }));

    const got = await s3.send(new GetObjectCommand({ Bucket: "assets", Key: "code/abc123.zip" }));
    assert.equal(await got.Body?.transformToString(), "zip bytes");
    const head = await s3.send(new HeadObjectCommand({ Bucket: "assets", Key: "code/abc123.zip" }));
    assert.equal(head.ContentLength, 9);
    assert.equal(head.ContentType, "application/zip");
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: "assets", Prefix: "code/" }));
    assert.deepEqual(listed.Contents?.map((object) => object.Key), ["code/abc123.zip"]);

    await s3.send(new DeleteObjectCommand({ Bucket: "assets", Key: "code/abc123.zip" }));
    const missing = await errorOf(s3.send(new GetObjectCommand({ Bucket: "assets", Key: "code/abc123.zip" })));
    assert.equal(missing.name, "NoSuchKey");
  });

  test("bucket location and default encryption answer as S3 does for us-east-1", async () => {
    const location = await s3.send(new GetBucketLocationCommand({ Bucket: "assets" }));
    assert.equal(location.LocationConstraint, undefined);
    const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket: "assets" }));
    assert.equal(encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm, "AES256");
  });

  test("a bucket's KMS encryption, once put, is what GetBucketEncryption answers", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "encrypted" }));
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: "encrypted",
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: "alias/assets" } }] },
      }),
    );

    const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket: "encrypted" }));
    const rule = encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
    assert.deepEqual({ algorithm: rule?.SSEAlgorithm, key: rule?.KMSMasterKeyID }, { algorithm: "aws:kms", key: "alias/assets" });
  });

  test("configurations never set and unknown sub-resources answer S3 errors, not crashes", async () => {
    assert.equal((await errorOf(s3.send(new GetBucketPolicyCommand({ Bucket: "assets" })))).name, "NoSuchBucketPolicy");
    assert.equal((await errorOf(s3.send(new GetBucketLocationCommand({ Bucket: "no-such-bucket" })))).name, "NoSuchBucket");
    await s3.send(new PutObjectCommand({ Bucket: "assets", Key: "tagged.txt", Body: "x" }));
    const unknown = await errorOf(s3.send(new GetObjectTaggingCommand({ Bucket: "assets", Key: "tagged.txt" })));
    assert.equal(unknown.name, "NotImplemented");
    assert.equal(unknown.$metadata.httpStatusCode, 501);
  });

  test("the in-process API reads and writes the same buckets, with S3's errors as typed ones", async () => {
    const { s3: service } = cloud.services;
    await service.createBucket("cfn-bucket");
    await assert.rejects(service.createBucket("cfn-bucket"), BucketAlreadyOwnedByYouError);
    await service.putObject("cfn-bucket", "template.json", Buffer.from("{}"));

    const got = await s3.send(new GetObjectCommand({ Bucket: "cfn-bucket", Key: "template.json" }));
    assert.equal(await got.Body?.transformToString(), "{}");
    await s3.send(new PutObjectCommand({ Bucket: "cfn-bucket", Key: "from-sdk.txt", Body: "hello" }));
    assert.equal((await service.getObject("cfn-bucket", "from-sdk.txt")).toString(), "hello");
    await assert.rejects(service.getObject("cfn-bucket", "absent.txt"), NoSuchKeyError);
    await assert.rejects(service.getObject("absent-bucket", "x"), NoSuchBucketError);
    await assert.rejects(service.deleteBucket("cfn-bucket"), BucketNotEmptyError);

    await s3.send(new DeleteObjectCommand({ Bucket: "cfn-bucket", Key: "template.json" }));
    await s3.send(new DeleteObjectCommand({ Bucket: "cfn-bucket", Key: "from-sdk.txt" }));
    await service.deleteBucket("cfn-bucket");
    assert.equal(service.hasBucket("cfn-bucket"), false);
    await assert.rejects(service.deleteBucket("cfn-bucket"), NoSuchBucketError);
  });
});

describe("S3 on disk", () => {
  let dataDir: string;

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), "s3-test-"));
  });

  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test("objects and bucket encryption survive a restart of the local cloud", async () => {
    const first = await startLocalCloud({ port: 0, dataDir });
    const client = s3Client(first);
    await client.send(new CreateBucketCommand({ Bucket: "kept" }));
    await client.send(new PutObjectCommand({ Bucket: "kept", Key: "a/b.txt", Body: "still here" }));
    await client.send(
      new PutBucketEncryptionCommand({ Bucket: "kept", ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" } }] } }),
    );
    client.destroy();
    await first.stop();

    const second = await startLocalCloud({ port: 0, dataDir });
    const again = s3Client(second);
    try {
      const got = await again.send(new GetObjectCommand({ Bucket: "kept", Key: "a/b.txt" }));
      assert.equal(await got.Body?.transformToString(), "still here");
      const encryption = await again.send(new GetBucketEncryptionCommand({ Bucket: "kept" }));
      assert.equal(encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm, "aws:kms");
    } finally {
      again.destroy();
      await second.stop();
    }
  });
});
