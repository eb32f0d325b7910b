import { readFileSync } from "node:fs";
import { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { KMSClient } from "@aws-sdk/client-kms";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { KmsFieldCipher } from "../../../adapters/kms-field-cipher.ts";
import { startLocalCloud, type LocalCloud } from "../../../localcloud/cloud.ts";
import { apiKeyValue } from "../../../ops/demo-credentials.ts";
import { seedDemoUsers } from "../../../scripts/seed-users.ts";
import { ApiClient } from "./api-client.ts";
import { synthesize } from "./synth.ts";

/**
 * Where the end-to-end suite runs: the embedded local cloud (default, started
 * in-process with empty storage) or LocalStack (`E2E_TARGET=localstack`, reading
 * `cdk-outputs.json` — or CDK_OUTPUTS_FILE — written by `npm run localstack:deploy`;
 * any endpoint that deploy script deployed to, the local cloud's included).
 */
export interface E2eTarget {
  readonly name: "localcloud" | "localstack";
  readonly endpoint: string;
  /** Stack name → its outputs. */
  readonly outputs: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Every log line of the functions, as "source | line" (the local cloud only). */
  readonly logs: string[];
  /** The environment for an AWS SDK or CLI pointed at the target. */
  readonly awsEnv: Readonly<Record<string, string>>;
  /**
   * The Brokerage stack's API key values: `demo` on the clients' usage plan (about
   * 100 requests a minute), `loadTest` on the load-tests plan, for tests that send many.
   */
  readonly apiKeys: ApiKeys;
  /** Signs the demo users in on first use and sends their token and the key on every request. */
  client(key?: keyof ApiKeys): ApiClient;
  /** Fires every EventBridge schedule now (the local cloud only). */
  readonly runSchedules?: () => Promise<void>;
  stop(): Promise<void>;
}

export interface ApiKeys {
  readonly demo: string;
  readonly loadTest: string;
}

export const targetName = process.env.E2E_TARGET === "localstack" ? "localstack" : "localcloud";

/** LocalStack answers API URLs in several forms; use the path form that works everywhere. */
export function pathStyleApiUrl(url: string, endpoint: string): string {
  const match = url.match(/^https?:\/\/([a-z0-9]+)\.execute-api\.[^/]+\/(.*)$/);
  return match ? `${endpoint}/_aws/execute-api/${match[1]}/${match[2]}` : url;
}

export async function startTarget(options: { fixtures?: boolean } = {}): Promise<E2eTarget> {
  if (targetName === "localstack") {
    const endpoint = process.env.AWS_ENDPOINT_URL ?? "http://localhost:4566";
    const outputs = JSON.parse(readFileSync(process.env.CDK_OUTPUTS_FILE ?? "cdk-outputs.json", "utf8")) as Record<string, Record<string, string>>;
    for (const stack of Object.values(outputs)) {
      if (stack.ApiUrl) stack.ApiUrl = pathStyleApiUrl(stack.ApiUrl, endpoint);
    }
    const apiKeys = await readApiKeys(outputs, endpoint);
    return { name: "localstack", endpoint, outputs, logs: [], awsEnv: awsEnv(endpoint), apiKeys, client: clientFor(outputs, apiKeys), stop: async () => {} };
  }
  const assemblies = [synthesize()];
  if (options.fixtures) assemblies.push(synthesize("node --import tsx test/e2e/fixtures/failure-app.ts"));
  const logs: string[] = [];
  const cloud: LocalCloud = await startLocalCloud({
    port: 0,
    dataDir: "",
    inMemory: true,
    log: (source, line) => logs.push(`${source} | ${line}`),
  });
  const outputs: Record<string, Record<string, string>> = {};
  for (const assembly of assemblies) {
    for (const stack of await cloud.deploy(assembly)) outputs[stack.stackName] = { ...stack.outputs };
  }
  const brokerage = outputs.Brokerage;
  if (brokerage?.UsersTableName && brokerage.PersonalDataKeyArn) {
    const config = sdkConfig(cloud.endpoint);
    const client = DynamoDBDocumentClient.from(new DynamoDBClient(config));
    const kms = new KMSClient(config);
    await seedDemoUsers({ usersTable: brokerage.UsersTableName, client, cipher: new KmsFieldCipher(brokerage.PersonalDataKeyArn, kms) });
    client.destroy();
    kms.destroy();
  }
  const apiKeys = await readApiKeys(outputs, cloud.endpoint);
  return {
    name: "localcloud",
    endpoint: cloud.endpoint,
    outputs,
    logs,
    awsEnv: awsEnv(cloud.endpoint),
    apiKeys,
    client: clientFor(outputs, apiKeys),
    runSchedules: async () => void (await cloud.runSchedules()),
    stop: () => cloud.stop(),
  };
}

const sdkConfig = (endpoint: string) => ({ endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });

/** The key values, read as the scripts read them: GetApiKey with includeValue on the ids the stack outputs. */
async function readApiKeys(outputs: Record<string, Record<string, string>>, endpoint: string): Promise<ApiKeys> {
  const { DemoApiKeyId, LoadTestApiKeyId } = outputs.Brokerage ?? {};
  // Fixture-only deployments have no API; their tests never call one.
  if (!DemoApiKeyId || !LoadTestApiKeyId) return { demo: "", loadTest: "" };
  const client = new APIGatewayClient(sdkConfig(endpoint));
  try {
    return { demo: await apiKeyValue(client, DemoApiKeyId), loadTest: await apiKeyValue(client, LoadTestApiKeyId) };
  } finally {
    client.destroy();
  }
}

function clientFor(outputs: Record<string, Record<string, string>>, apiKeys: ApiKeys): (key?: keyof ApiKeys) => ApiClient {
  const clients = new Map<keyof ApiKeys, ApiClient>();
  return (key = "demo") => {
    let client = clients.get(key);
    if (!client) {
      client = new ApiClient(String(outputs.Brokerage?.ApiUrl), apiKeys[key]);
      clients.set(key, client);
    }
    return client;
  };
}

function awsEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "us-east-1",
    AWS_DEFAULT_REGION: "us-east-1",
  };
}

/** Polls until `probe` returns a value (not undefined), or fails after `timeoutMs` saying what it waited for. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((done) => setTimeout(done, intervalMs));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ""}`);
}
