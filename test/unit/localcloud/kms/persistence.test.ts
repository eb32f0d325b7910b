/** KMS keys outlive a restart: data encrypted before decrypts after, under API-made and stack-made keys. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand, GenerateDataKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { startLocalCloud } from "../../../../localcloud/cloud.ts";

/** A cloud assembly of one stack holding a customer key and its alias, as `cdk synth` would write it. */
function writeAssembly(dir: string): void {
  const template = {
    Resources: {
      DataKey: { Type: "AWS::KMS::Key", Properties: { EnableKeyRotation: true, KeyPolicy: { Version: "2012-10-17", Statement: [] } }, DeletionPolicy: "Retain" },
      DataKeyAlias: { Type: "AWS::KMS::Alias", Properties: { AliasName: "alias/personal-data", TargetKeyId: { "Fn::GetAtt": ["DataKey", "Arn"] } } },
    },
    Outputs: { KeyId: { Value: { Ref: "DataKey" } } },
  };
  writeFileSync(join(dir, "Security.template.json"), JSON.stringify(template));
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({ version: "48.0.0", artifacts: { Security: { type: "aws:cloudformation:stack", properties: { templateFile: "Security.template.json" } } } }));
}

describe("KMS across a restart", () => {
  const root = mkdtempSync(join(tmpdir(), "kms-restart-"));
  const dataDir = join(root, "data");
  const assembly = mkdtempSync(join(root, "assembly-"));
  writeAssembly(assembly);
  after(() => rmSync(root, { recursive: true, force: true }));

  const withCloud = async <T>(work: (client: KMSClient, deploy: () => Promise<string>) => Promise<T>): Promise<T> => {
    const cloud = await startLocalCloud({ port: 0, dataDir });
    const client = new KMSClient({ endpoint: cloud.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    const deploy = async () => (await cloud.deploy(assembly))[0]?.outputs["KeyId"] ?? "";
    try {
      return await work(client, deploy);
    } finally {
      client.destroy();
      await cloud.stop();
    }
  };

  test("blobs made before a restart decrypt after it, and the stack's alias still names its key", async () => {
    const context = { purpose: "personal-data", userId: "1" };
    const before = await withCloud(async (client, deploy) => {
      const made = await client.send(new CreateKeyCommand({}));
      const byApi = await client.send(new EncryptCommand({ KeyId: made.KeyMetadata?.KeyId, Plaintext: Buffer.from("made through the API") }));
      const stackKeyId = await deploy();
      const dataKey = await client.send(new GenerateDataKeyCommand({ KeyId: "alias/personal-data", KeySpec: "AES_256", EncryptionContext: context }));
      return { byApi: byApi.CiphertextBlob, stackKeyId, dataKey };
    });
    // Key material is readable by its owner only.
    assert.equal(statSync(join(dataDir, "kms", "keys.json")).mode & 0o777, 0o600);

    await withCloud(async (client, deploy) => {
      const byApi = await client.send(new DecryptCommand({ CiphertextBlob: before.byApi }));
      assert.equal(Buffer.from(byApi.Plaintext ?? []).toString(), "made through the API");
      assert.equal(await deploy(), before.stackKeyId);
      assert.equal((await client.send(new DescribeKeyCommand({ KeyId: "alias/personal-data" }))).KeyMetadata?.KeyId, before.stackKeyId);
      const dataKey = await client.send(new DecryptCommand({ CiphertextBlob: before.dataKey.CiphertextBlob, EncryptionContext: context }));
      assert.deepEqual(Buffer.from(dataKey.Plaintext ?? []), Buffer.from(before.dataKey.Plaintext ?? []));
    });
  });
});
