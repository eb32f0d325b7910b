/** Secrets Manager on the local cloud's endpoint through the AWS SDK: secrets, versions, deletion, passwords. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  InvalidRequestException,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { startLocalCloud, type LocalCloud } from "../../../../localcloud/cloud.ts";

describe("Secrets Manager through the SDK", () => {
  let cloud: LocalCloud;
  let secrets: SecretsManagerClient;

  before(async () => {
    cloud = await startLocalCloud({ port: 0, dataDir: "unused", inMemory: true });
    secrets = new SecretsManagerClient({ endpoint: cloud.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  });

  after(async () => {
    secrets.destroy();
    await cloud.stop();
  });

  test("a secret created is read back by name, by ARN and by ARN without its suffix", async () => {
    const created = await secrets.send(new CreateSecretCommand({ Name: "brokerage/signing-key", SecretString: "s3cr3t", Description: "JWT signing key" }));
    assert.match(created.ARN ?? "", /^arn:aws:secretsmanager:us-east-1:000000000000:secret:brokerage\/signing-key-[A-Za-z0-9]{6}$/);
    assert.equal(created.Name, "brokerage/signing-key");

    for (const secretId of ["brokerage/signing-key", created.ARN, created.ARN?.slice(0, -7)]) {
      const value = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
      assert.equal(value.SecretString, "s3cr3t", secretId);
      assert.equal(value.ARN, created.ARN);
      assert.equal(value.VersionId, created.VersionId);
      assert.deepEqual(value.VersionStages, ["AWSCURRENT"]);
    }
    const described = await secrets.send(new DescribeSecretCommand({ SecretId: "brokerage/signing-key" }));
    assert.equal(described.Description, "JWT signing key");
    assert.deepEqual(described.VersionIdsToStages, { [created.VersionId ?? ""]: ["AWSCURRENT"] });
    assert.ok(described.CreatedDate instanceof Date);
  });

  test("binary secrets round-trip", async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    await secrets.send(new CreateSecretCommand({ Name: "binary", SecretBinary: bytes }));
    const value = await secrets.send(new GetSecretValueCommand({ SecretId: "binary" }));
    assert.deepEqual(Buffer.from(value.SecretBinary ?? []), bytes);
    assert.equal(value.SecretString, undefined);
  });

  test("a name taken is ResourceExistsException; an unknown secret is ResourceNotFoundException", async () => {
    await secrets.send(new CreateSecretCommand({ Name: "taken", SecretString: "a" }));
    await assert.rejects(secrets.send(new CreateSecretCommand({ Name: "taken", SecretString: "b" })), ResourceExistsException);
    await assert.rejects(secrets.send(new GetSecretValueCommand({ SecretId: "missing" })), ResourceNotFoundException);
    await assert.rejects(secrets.send(new DescribeSecretCommand({ SecretId: "arn:aws:secretsmanager:us-east-1:000000000000:secret:missing-AbCdEf" })), ResourceNotFoundException);
    await assert.rejects(secrets.send(new PutSecretValueCommand({ SecretId: "missing", SecretString: "x" })), ResourceNotFoundException);
  });

  test("PutSecretValue makes the new value AWSCURRENT and the old one AWSPREVIOUS", async () => {
    const first = await secrets.send(new CreateSecretCommand({ Name: "versioned", SecretString: "v1" }));
    const second = await secrets.send(new PutSecretValueCommand({ SecretId: "versioned", SecretString: "v2" }));
    assert.deepEqual(second.VersionStages, ["AWSCURRENT"]);

    assert.equal((await secrets.send(new GetSecretValueCommand({ SecretId: "versioned" }))).SecretString, "v2");
    assert.equal((await secrets.send(new GetSecretValueCommand({ SecretId: "versioned", VersionStage: "AWSPREVIOUS" }))).SecretString, "v1");
    assert.equal((await secrets.send(new GetSecretValueCommand({ SecretId: "versioned", VersionId: first.VersionId }))).SecretString, "v1");
    await secrets.send(new PutSecretValueCommand({ SecretId: "versioned", SecretString: "v3" }));
    const stages = (await secrets.send(new DescribeSecretCommand({ SecretId: "versioned" }))).VersionIdsToStages ?? {};
    assert.deepEqual(stages[second.VersionId ?? ""], ["AWSPREVIOUS"]);
    assert.equal(stages[first.VersionId ?? ""], undefined);
    await assert.rejects(secrets.send(new GetSecretValueCommand({ SecretId: "versioned", VersionStage: "NOPE" })), ResourceNotFoundException);
  });

  test("a secret created without a value has no AWSCURRENT to read", async () => {
    await secrets.send(new CreateSecretCommand({ Name: "empty" }));
    await assert.rejects(secrets.send(new GetSecretValueCommand({ SecretId: "empty" })), ResourceNotFoundException);
  });

  test("ListSecrets lists secrets with their stages, filtered by name prefix", async () => {
    await secrets.send(new CreateSecretCommand({ Name: "listed/one", SecretString: "1" }));
    await secrets.send(new CreateSecretCommand({ Name: "listed/two", SecretString: "2" }));
    const { SecretList } = await secrets.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: ["listed/"] }] }));
    assert.deepEqual(SecretList?.map((secret) => secret.Name).sort(), ["listed/one", "listed/two"]);
    assert.ok(SecretList?.every((secret) => Object.values(secret.SecretVersionsToStages ?? {}).flat().includes("AWSCURRENT")));
    const paged = await secrets.send(new ListSecretsCommand({ MaxResults: 1, Filters: [{ Key: "name", Values: ["listed/"] }] }));
    assert.equal(paged.SecretList?.length, 1);
    assert.ok(paged.NextToken);
  });

  test("a deleted secret waits out its recovery window refusing reads, and can be restored", async () => {
    await secrets.send(new CreateSecretCommand({ Name: "recoverable", SecretString: "keep me" }));
    const deleted = await secrets.send(new DeleteSecretCommand({ SecretId: "recoverable", RecoveryWindowInDays: 7 }));
    assert.ok((deleted.DeletionDate?.getTime() ?? 0) > Date.now() + 6 * 86_400_000);

    await assert.rejects(secrets.send(new GetSecretValueCommand({ SecretId: "recoverable" })), InvalidRequestException);
    await assert.rejects(secrets.send(new CreateSecretCommand({ Name: "recoverable", SecretString: "x" })), InvalidRequestException);
    assert.ok((await secrets.send(new DescribeSecretCommand({ SecretId: "recoverable" }))).DeletedDate instanceof Date);
    const listed = async (include: boolean) =>
      ((await secrets.send(new ListSecretsCommand({ IncludePlannedDeletion: include }))).SecretList ?? []).some((secret) => secret.Name === "recoverable");
    assert.equal(await listed(false), false);
    assert.equal(await listed(true), true);

    await secrets.send(new RestoreSecretCommand({ SecretId: "recoverable" }));
    assert.equal((await secrets.send(new GetSecretValueCommand({ SecretId: "recoverable" }))).SecretString, "keep me");
  });

  test("ForceDeleteWithoutRecovery removes the secret at once, and the name is free again", async () => {
    await secrets.send(new CreateSecretCommand({ Name: "forced", SecretString: "x" }));
    await assert.rejects(secrets.send(new DeleteSecretCommand({ SecretId: "forced", ForceDeleteWithoutRecovery: true, RecoveryWindowInDays: 7 })), InvalidParameterException);

    await secrets.send(new DeleteSecretCommand({ SecretId: "forced", ForceDeleteWithoutRecovery: true }));
    await assert.rejects(secrets.send(new DescribeSecretCommand({ SecretId: "forced" })), ResourceNotFoundException);
    await secrets.send(new CreateSecretCommand({ Name: "forced", SecretString: "again" }));
    assert.equal((await secrets.send(new GetSecretValueCommand({ SecretId: "forced" }))).SecretString, "again");
  });

  test("GetRandomPassword honours its options, and refuses options that leave nothing to choose from", async () => {
    const { RandomPassword } = await secrets.send(new GetRandomPasswordCommand({ PasswordLength: 64, ExcludePunctuation: true }));
    assert.match(RandomPassword ?? "", /^[A-Za-z0-9]{64}$/);
    assert.equal((await secrets.send(new GetRandomPasswordCommand({}))).RandomPassword?.length, 32);
    await assert.rejects(
      secrets.send(new GetRandomPasswordCommand({ ExcludeLowercase: true, ExcludeUppercase: true, ExcludeNumbers: true, ExcludePunctuation: true })),
      InvalidParameterException,
    );
  });
});
