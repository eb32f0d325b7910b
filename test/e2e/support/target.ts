import { readFileSync } from "node:fs";
import { startLocalCloud, type LocalCloud } from "../../../localcloud/cloud.ts";
import { seedDemoUsers } from "../../../scripts/seed-users.ts";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
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
  /** Fires every EventBridge schedule now (the local cloud only). */
  readonly runSchedules?: () => Promise<void>;
  stop(): Promise<void>;
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
    return { name: "localstack", endpoint, outputs, logs: [], awsEnv: awsEnv(endpoint), stop: async () => {} };
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
  const usersTable = outputs.Brokerage?.UsersTableName;
  if (usersTable) {
    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: cloud.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } }),
    );
    await seedDemoUsers({ usersTable, client });
    client.destroy();
  }
  return {
    name: "localcloud",
    endpoint: cloud.endpoint,
    outputs,
    logs,
    awsEnv: awsEnv(cloud.endpoint),
    runSchedules: async () => void (await cloud.runSchedules()),
    stop: () => cloud.stop(),
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
