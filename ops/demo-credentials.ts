/** What the demo, Postman and scripts need to call the API: its URL, the API keys and the demo users. */
import { GetApiKeyCommand, type APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { apiGatewayClientFromEnv, type StackOutputs } from "./environment.ts";
import { ConfigurationError } from "./errors.ts";

/** Where the seed writes the demo credentials; DEMO_CREDENTIALS_FILE puts them elsewhere (the deploy script's end-to-end test does). */
export const DEMO_CREDENTIALS_FILE = process.env.DEMO_CREDENTIALS_FILE ?? ".localcloud/demo-credentials.json";

export interface DemoCredentials {
  readonly apiUrl: string;
  readonly apiKey: string;
  readonly loadTestApiKey: string;
  readonly users: readonly { userId: string; password: string }[];
}

/** An API key's value, which only GetApiKey with includeValue shows. */
export async function apiKeyValue(client: APIGatewayClient, keyId: string): Promise<string> {
  const { value } = await client.send(new GetApiKeyCommand({ apiKey: keyId, includeValue: true }));
  if (!value) throw new ConfigurationError(`API key ${keyId} has no value`);
  return value;
}

export async function writeDemoCredentials(
  outputs: StackOutputs,
  users: DemoCredentials["users"],
  options: { client?: APIGatewayClient; file?: string; apiUrl?: string } = {},
): Promise<{ file: string; credentials: DemoCredentials }> {
  const { ApiUrl, DemoApiKeyId, LoadTestApiKeyId } = outputs;
  if (!ApiUrl || !DemoApiKeyId || !LoadTestApiKeyId) throw new ConfigurationError("cdk-outputs.json lacks ApiUrl, DemoApiKeyId or LoadTestApiKeyId; deploy the stack again");
  const client = options.client ?? apiGatewayClientFromEnv();
  try {
    const credentials: DemoCredentials = {
      apiUrl: options.apiUrl ?? ApiUrl,
      apiKey: await apiKeyValue(client, DemoApiKeyId),
      loadTestApiKey: await apiKeyValue(client, LoadTestApiKeyId),
      users,
    };
    const file = resolve(options.file ?? DEMO_CREDENTIALS_FILE);
    mkdirSync(dirname(file), { recursive: true });
    // Readable by the owner only: it holds passwords and keys.
    writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
    return { file, credentials };
  } finally {
    if (!options.client) client.destroy();
  }
}
