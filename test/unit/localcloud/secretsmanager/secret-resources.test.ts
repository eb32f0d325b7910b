/** AWS::SecretsManager::Secret deployed by the CloudFormation engine: values given or generated, kept on update, removed on delete. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { StackEngine } from "../../../../localcloud/cloudformation/stack-engine.ts";
import type { OperationTargets } from "../../../../localcloud/cloudformation/stack-operation.ts";
import { StackRecords } from "../../../../localcloud/cloudformation/stack-records.ts";
import type { Template, TemplateResource } from "../../../../localcloud/deployer/cloud-assembly.ts";
import { SecretsManagerService, type SecretVault } from "../../../../localcloud/secretsmanager/index.ts";
import type { CloudContext } from "../../../../localcloud/types.ts";

/** An engine whose only real target is Secrets Manager. */
function secretsStack() {
  const ctx: CloudContext = { region: "us-east-1", accountId: "000000000000", endpoint: "http://localhost:4566", dataDir: "", log: () => {} };
  const vault = new SecretsManagerService(ctx, { inMemory: true }).vault;
  const targets: OperationTargets = {
    ctx,
    dynamodb: undefined as never,
    sqs: { createQueue: async () => ({ queueUrl: "", queueArn: "" }), deleteQueue: async () => {} },
    lambda: { createFunction: () => {}, deleteFunction: () => {}, listFunctions: () => [] },
    functionCode: async () => "",
    eventSources: { add: () => {}, remove: async () => {} },
    restApis: { put: () => {}, delete: () => {} },
    secretsManager: vault,
  };
  const engine = new StackEngine(ctx, new StackRecords(undefined), targets, () => undefined);
  const deploy = async (resources: Record<string, TemplateResource>) => {
    const template: Template = { Resources: resources, Outputs: Object.fromEntries(Object.keys(resources).map((id) => [id, { Value: { Ref: id } }])) };
    const stack = await engine.deployAndWait({ stackName: "Demo", template, templateBody: JSON.stringify(template), parameters: new Map() });
    return Object.fromEntries(stack.outputs.map((output) => [output.key, output.value]));
  };
  return { vault, engine, deploy };
}

const secret = (properties: Record<string, unknown>): TemplateResource => ({ Type: "AWS::SecretsManager::Secret", Properties: properties });
const valueOf = (vault: SecretVault, id: string): string => vault.getValue(id).version.secretString ?? "";

describe("deployer: Secrets Manager secrets", () => {
  test("GenerateSecretString makes a value as asked; Ref is the secret's ARN; a name is made when none is given", async () => {
    const { vault, deploy } = secretsStack();
    const outputs = await deploy({ SigningKey: secret({ GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true }, Description: "signs tokens" }) });

    const arn = outputs.SigningKey ?? "";
    assert.match(arn, /^arn:aws:secretsmanager:us-east-1:000000000000:secret:Demo-SigningKey-[A-Z0-9]+-[A-Za-z0-9]{6}$/);
    assert.match(valueOf(vault, arn), /^[A-Za-z0-9]{64}$/);
    assert.equal(vault.find(arn).description, "signs tokens");
  });

  test("the generator's options are honoured, and a template gets the password under its key", async () => {
    const { vault, deploy } = secretsStack();
    const outputs = await deploy({
      Digits: secret({ Name: "digits", GenerateSecretString: { PasswordLength: 12, ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true, ExcludeCharacters: "01" } }),
      Symbols: secret({ Name: "symbols", GenerateSecretString: { PasswordLength: 40, ExcludeNumbers: "true", ExcludeLowercase: true, ExcludeUppercase: true } }),
      Spaces: secret({ Name: "spaces", GenerateSecretString: { PasswordLength: 5, ExcludeNumbers: true, ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true, IncludeSpace: true } }),
      Login: secret({ Name: "login", GenerateSecretString: { SecretStringTemplate: '{"username":"admin"}', GenerateStringKey: "password", PasswordLength: 20 } }),
      Given: secret({ Name: "given", SecretString: "as written" }),
    });

    assert.match(valueOf(vault, "digits"), /^[2-9]{12}$/);
    assert.match(valueOf(vault, "symbols"), /^[!-/:-@[-`{-~]{40}$/);
    assert.equal(valueOf(vault, "spaces"), "     ");
    const login = JSON.parse(valueOf(vault, "login")) as { username: string; password: string };
    assert.equal(login.username, "admin");
    assert.equal(login.password.length, 20);
    assert.equal(valueOf(vault, "given"), "as written");
    assert.equal(outputs.Given, vault.find("given").arn);
  });

  test("updating the stack keeps a generated value; only a changed GenerateSecretString makes a new one", async () => {
    const { vault, deploy } = secretsStack();
    const generate = { PasswordLength: 64, ExcludePunctuation: true };
    const first = await deploy({ SigningKey: secret({ Name: "signing-key", GenerateSecretString: generate, Description: "v1" }) });
    const original = valueOf(vault, "signing-key");

    const second = await deploy({ SigningKey: secret({ Name: "signing-key", GenerateSecretString: generate, Description: "v2" }) });
    assert.equal(second.SigningKey, first.SigningKey);
    assert.equal(vault.find("signing-key").description, "v2");
    assert.equal(valueOf(vault, "signing-key"), original);

    await deploy({ SigningKey: secret({ Name: "signing-key", GenerateSecretString: { ...generate, PasswordLength: 48 }, Description: "v2" }) });
    const regenerated = valueOf(vault, "signing-key");
    assert.equal(regenerated.length, 48);
    assert.equal(vault.getValue("signing-key", { versionStage: "AWSPREVIOUS" }).version.secretString, original);
  });

  test("a changed SecretString becomes the current value", async () => {
    const { vault, deploy } = secretsStack();
    await deploy({ Given: secret({ Name: "given", SecretString: "one" }) });
    await deploy({ Given: secret({ Name: "given", SecretString: "two" }) });
    assert.equal(valueOf(vault, "given"), "two");
  });

  test("SecretString together with GenerateSecretString fails the deployment", async () => {
    const { deploy } = secretsStack();
    await assert.rejects(deploy({ Both: secret({ Name: "both", SecretString: "x", GenerateSecretString: {} }) }), /SecretString and GenerateSecretString/);
  });

  test("deleting the stack removes the secret without a recovery window", async () => {
    const { vault, engine, deploy } = secretsStack();
    await deploy({ Doomed: secret({ Name: "doomed", SecretString: "x" }) });
    engine.deleteStack("Demo");
    await engine.settled("Demo");
    assert.equal(vault.list().some((s) => s.name === "doomed"), false);
  });
});
