/** Secrets outlive a restart of the local cloud, and deploying the same stack again keeps a generated value. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { startLocalCloud } from "../../../../localcloud/cloud.ts";

/** A cloud assembly of one stack holding a generated signing key, as `cdk synth` would write it. */
function writeAssembly(dir: string, description: string): void {
  const template = {
    Resources: {
      SigningKey: {
        Type: "AWS::SecretsManager::Secret",
        Properties: { Name: "brokerage/signing-key", Description: description, GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } },
      },
    },
    Outputs: { SigningKeyArn: { Value: { Ref: "SigningKey" } } },
  };
  writeFileSync(join(dir, "Security.template.json"), JSON.stringify(template));
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({ version: "48.0.0", artifacts: { Security: { type: "aws:cloudformation:stack", properties: { templateFile: "Security.template.json" } } } }));
}

describe("Secrets Manager across a restart", () => {
  const root = mkdtempSync(join(tmpdir(), "secrets-restart-"));
  const dataDir = join(root, "data");
  const assembly = mkdtempSync(join(root, "assembly-"));
  after(() => rmSync(root, { recursive: true, force: true }));

  const withCloud = async <T>(work: (client: SecretsManagerClient, deploy: () => Promise<string>) => Promise<T>): Promise<T> => {
    const cloud = await startLocalCloud({ port: 0, dataDir });
    const client = new SecretsManagerClient({ endpoint: cloud.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    const deploy = async () => (await cloud.deploy(assembly))[0]?.outputs["SigningKeyArn"] ?? "";
    try {
      return await work(client, deploy);
    } finally {
      client.destroy();
      await cloud.stop();
    }
  };
  const read = async (client: SecretsManagerClient, secretId: string) => (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;

  test("a secret put through the API and one the stack generated read the same after a restart and a redeployment", async () => {
    writeAssembly(assembly, "first");
    const before = await withCloud(async (client, deploy) => {
      await client.send(new CreateSecretCommand({ Name: "manual", SecretString: "typed by hand" }));
      const arn = await deploy();
      return { arn, generated: await read(client, arn) };
    });
    assert.match(before.generated ?? "", /^[A-Za-z0-9]{64}$/);
    // Secret values are readable by their owner only.
    assert.equal(statSync(join(dataDir, "secretsmanager", "secrets.json")).mode & 0o777, 0o600);

    writeAssembly(assembly, "second");
    await withCloud(async (client, deploy) => {
      assert.equal(await read(client, "manual"), "typed by hand");
      assert.equal(await read(client, before.arn), before.generated);
      assert.equal(await deploy(), before.arn);
      assert.equal(await read(client, "brokerage/signing-key"), before.generated);
    });
  });
});
