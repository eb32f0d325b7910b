/** AWS::KMS::Key and AWS::KMS::Alias deployed by the CloudFormation engine. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { StackEngine } from "../../../../localcloud/cloudformation/stack-engine.ts";
import type { OperationTargets } from "../../../../localcloud/cloudformation/stack-operation.ts";
import { StackRecords } from "../../../../localcloud/cloudformation/stack-records.ts";
import type { Template, TemplateResource } from "../../../../localcloud/deployer/cloud-assembly.ts";
import { KmsNotFoundError, KmsService } from "../../../../localcloud/kms/index.ts";
import type { CloudContext } from "../../../../localcloud/types.ts";

/** An engine whose only real target is KMS. */
function keysStack() {
  const logLines: string[] = [];
  const ctx: CloudContext = { region: "us-east-1", accountId: "000000000000", endpoint: "http://localhost:4566", dataDir: "", log: (source, line) => logLines.push(`${source}: ${line}`) };
  const keys = new KmsService(ctx, { inMemory: true }).keys;
  const targets: OperationTargets = {
    ctx,
    dynamodb: undefined as never,
    sqs: { createQueue: async () => ({ queueUrl: "", queueArn: "" }), deleteQueue: async () => {} },
    lambda: { createFunction: () => {}, deleteFunction: () => {}, listFunctions: () => [] },
    functionCode: async () => "",
    eventSources: { add: () => {}, remove: async () => {} },
    restApis: { put: () => {}, delete: () => {} },
    kms: keys,
  };
  const engine = new StackEngine(ctx, new StackRecords(undefined), targets, () => undefined);
  const deploy = async (resources: Record<string, TemplateResource>, outputs: Template["Outputs"] = {}) => {
    const template: Template = { Resources: resources, Outputs: outputs };
    const stack = await engine.deployAndWait({ stackName: "Demo", template, templateBody: JSON.stringify(template), parameters: new Map() });
    return Object.fromEntries(stack.outputs.map((output) => [output.key, output.value]));
  };
  return { keys, engine, deploy, logLines };
}

const POLICY = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::000000000000:root" }, Action: "kms:*", Resource: "*" }] };
const key = (properties: Record<string, unknown> = {}): TemplateResource => ({ Type: "AWS::KMS::Key", Properties: { KeyPolicy: POLICY, ...properties } });
const alias = (name: string): TemplateResource => ({ Type: "AWS::KMS::Alias", Properties: { AliasName: name, TargetKeyId: { "Fn::GetAtt": ["DataKey", "Arn"] } } });
const OUTPUTS = { KeyId: { Value: { Ref: "DataKey" } }, KeyArn: { Value: { "Fn::GetAtt": ["DataKey", "Arn"] } } };

describe("deployer: KMS keys and aliases", () => {
  test("a key: Ref is its id, Fn::GetAtt Arn its ARN; rotation as declared; the policy accepted and said to be unenforced", async () => {
    const { keys, deploy, logLines } = keysStack();
    const outputs = await deploy({ DataKey: key({ EnableKeyRotation: true, Description: "personal data" }), DataKeyAlias: alias("alias/personal-data") }, OUTPUTS);

    assert.match(outputs.KeyId ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(outputs.KeyArn, `arn:aws:kms:us-east-1:000000000000:key/${outputs.KeyId}`);
    const stored = keys.resolve("alias/personal-data");
    assert.equal(stored.keyId, outputs.KeyId);
    assert.deepEqual([stored.state, stored.rotationEnabled, stored.description], ["Enabled", true, "personal data"]);
    assert.ok(logLines.some((line) => line.includes("DataKey") && line.includes("KeyPolicy accepted, not enforced")));
  });

  test("updating the stack keeps the key's material: what was encrypted before decrypts after", async () => {
    const { keys, deploy } = keysStack();
    const before = await deploy({ DataKey: key({ EnableKeyRotation: true }) }, OUTPUTS);
    const { blob } = keys.encrypt(before.KeyId ?? "", Buffer.from("ana@example.com"), { userId: "1" });

    const after = await deploy({ DataKey: key({ EnableKeyRotation: false, Description: "changed" }), DataKeyAlias: alias("alias/moved") }, OUTPUTS);
    assert.equal(after.KeyId, before.KeyId);
    assert.equal(keys.resolve("alias/moved").rotationEnabled, false);
    assert.equal(keys.decrypt(blob, { userId: "1" }).plaintext.toString(), "ana@example.com");
  });

  test("an asymmetric key is refused, naming what is not emulated", async () => {
    const { deploy } = keysStack();
    await assert.rejects(deploy({ DataKey: key({ KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" }) }), /KeySpec RSA_2048 is not emulated/);
  });

  test("deleting the stack removes the alias and schedules the key's deletion after its pending window", async () => {
    const { keys, engine, deploy } = keysStack();
    const outputs = await deploy({ DataKey: key({ PendingWindowInDays: 7 }), DataKeyAlias: alias("alias/doomed") }, OUTPUTS);
    engine.deleteStack("Demo");
    await engine.settled("Demo");

    assert.throws(() => keys.resolve("alias/doomed"), KmsNotFoundError);
    const doomed = keys.resolve(outputs.KeyId ?? "");
    assert.equal(doomed.state, "PendingDeletion");
    assert.equal(doomed.pendingWindowInDays, 7);
  });
});
