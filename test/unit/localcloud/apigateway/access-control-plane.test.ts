/**
 * The API key, usage plan and authorizer read operations through
 * @aws-sdk/client-api-gateway, and generated key values that survive a restart.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  APIGatewayClient,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetAuthorizersCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  NotFoundException,
} from "@aws-sdk/client-api-gateway";
import { startLocalCloud, type LocalCloud } from "../../../../localcloud/cloud.ts";
import { writeAccessAssembly } from "./access-stack.ts";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const clientOf = (cloud: LocalCloud) => new APIGatewayClient({ endpoint: cloud.endpoint, region: "us-east-1", credentials });

describe("API keys, usage plans and authorizers through the SDK", () => {
  let cloud: LocalCloud;
  let client: APIGatewayClient;
  let assembly: string;
  let outputs: Readonly<Record<string, string>>;

  before(async () => {
    cloud = await startLocalCloud({ port: 0, dataDir: "", inMemory: true });
    assembly = writeAccessAssembly();
    outputs = (await cloud.deploy(assembly))[0]?.outputs ?? {};
    client = clientOf(cloud);
  });
  after(async () => {
    client.destroy();
    await cloud.stop();
    rmSync(assembly, { recursive: true, force: true });
  });

  test("GetApiKeys lists the keys without values, and with includeValues and nameQuery", async () => {
    const { items = [] } = await client.send(new GetApiKeysCommand({}));
    assert.deepEqual(items.map((key) => key.name).sort(), ["burst-key", "demo-key", "disabled-key", "orphan-key", "quota-key"]);
    assert.ok(items.every((key) => key.value === undefined));
    const { items: burst = [] } = await client.send(new GetApiKeysCommand({ includeValues: true, nameQuery: "burst" }));
    assert.deepEqual(burst.map((key) => [key.name, key.value, key.enabled]), [["burst-key", "burst-key-0123456789abcdef", true]]);
    assert.equal(items.find((key) => key.name === "disabled-key")?.enabled, false);
  });

  test("GetApiKey returns the value only with includeValue; an unknown id is a NotFoundException", async () => {
    const plain = await client.send(new GetApiKeyCommand({ apiKey: outputs.DemoKeyId }));
    assert.equal(plain.id, outputs.DemoKeyId);
    assert.equal(plain.value, undefined);
    assert.ok(plain.createdDate instanceof Date);
    const withValue = await client.send(new GetApiKeyCommand({ apiKey: outputs.DemoKeyId, includeValue: true }));
    assert.match(withValue.value ?? "", /^[A-Za-z0-9]{40}$/);
    await assert.rejects(client.send(new GetApiKeyCommand({ apiKey: "nope" })), NotFoundException);
  });

  test("GetUsagePlans describes stages, throttle and quota, and filters by key; GetUsagePlanKeys lists a plan's keys", async () => {
    const { items = [] } = await client.send(new GetUsagePlansCommand({}));
    const clients = items.find((plan) => plan.name === "clients");
    assert.equal(clients?.id, outputs.ClientsPlanId);
    assert.deepEqual(clients?.apiStages, [{ apiId: outputs.ApiId, stage: "prod" }]);
    assert.deepEqual(clients?.throttle, { burstLimit: 1000, rateLimit: 1000 });
    assert.deepEqual(clients?.quota, { limit: 10000, offset: 0, period: "DAY" });
    const { items: forDemo = [] } = await client.send(new GetUsagePlansCommand({ keyId: outputs.DemoKeyId }));
    assert.deepEqual(forDemo.map((plan) => plan.name), ["clients"]);
    const { items: keys = [] } = await client.send(new GetUsagePlanKeysCommand({ usagePlanId: outputs.ClientsPlanId }));
    assert.deepEqual(keys.map((key) => [key.name, key.type]).sort(), [["demo-key", "API_KEY"], ["disabled-key", "API_KEY"]]);
  });

  test("GetAuthorizers describes the API's TOKEN and REQUEST authorizers", async () => {
    const { items = [] } = await client.send(new GetAuthorizersCommand({ restApiId: outputs.ApiId }));
    const token = items.find((authorizer) => authorizer.name === "TokenAuth");
    assert.equal(token?.type, "TOKEN");
    assert.equal(token?.identitySource, "method.request.header.Authorization");
    assert.equal(token?.identityValidationExpression, "^Bearer [-0-9A-Za-z_.]+$");
    assert.equal(token?.authorizerResultTtlInSeconds, 60);
    assert.match(token?.authorizerUri ?? "", /function:token-authorizer\/invocations$/);
    assert.equal(items.find((authorizer) => authorizer.name === "RequestAuth")?.authorizerResultTtlInSeconds, 0);
  });
});

test("a generated key value is the same after the local cloud restarts on the same data folder", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "apigw-keys-"));
  const assembly = writeAccessAssembly();
  const valueAfterStart = async (): Promise<string> => {
    const cloud = await startLocalCloud({ port: 0, dataDir });
    const client = clientOf(cloud);
    try {
      const keyId = (await cloud.deploy(assembly))[0]?.outputs.DemoKeyId;
      const key = await client.send(new GetApiKeyCommand({ apiKey: keyId, includeValue: true }));
      return key.value ?? "";
    } finally {
      client.destroy();
      await cloud.stop();
    }
  };
  try {
    const first = await valueAfterStart();
    assert.match(first, /^[A-Za-z0-9]{40}$/);
    assert.equal(await valueAfterStart(), first);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(assembly, { recursive: true, force: true });
  }
});
