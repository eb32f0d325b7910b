/**
 * Rewrites the ApiUrl outputs of a `cdk deploy --outputs-file` file into the
 * form an emulator serves on its own endpoint: `${endpoint}/_aws/execute-api/<apiId>/<stage>/`.
 * LocalStack's CloudFormation renders `https://<apiId>.execute-api.<region>.localhost.localstack.cloud/<stage>/`,
 * which needs public DNS and port 443 (see docs/localstack.md).
 * CLI: `tsx scripts/local-api-url.ts [outputs-file]`, endpoint from AWS_ENDPOINT_URL.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

export class ApiUrlError extends Error {
  override readonly name = "ApiUrlError";
}

const LOCAL_PATH = "/_aws/execute-api/";
const EXECUTE_API_HOST = /^([a-z0-9]+)\.execute-api\./i;

/**
 * The URL to call through `endpoint`. An execute-api host (AWS's or LocalStack's)
 * becomes the endpoint's path form; a URL already in the path form is kept.
 * `apiId`, when given, must agree with the URL's.
 */
export function localApiUrl(apiUrl: string, endpoint: string, apiId?: string): string {
  const url = new URL(apiUrl);
  if (url.pathname.startsWith(LOCAL_PATH)) return apiUrl;
  const fromHost = EXECUTE_API_HOST.exec(url.hostname)?.[1];
  if (!fromHost) throw new ApiUrlError(`${apiUrl} is neither an execute-api URL nor ${LOCAL_PATH} on an endpoint`);
  if (apiId !== undefined && apiId !== fromHost) throw new ApiUrlError(`${apiUrl} names API ${fromHost}, the ApiId output says ${apiId}`);
  const stagePath = url.pathname.endsWith("/") ? url.pathname : `${url.pathname}/`;
  return `${endpoint.replace(/\/+$/, "")}${LOCAL_PATH}${fromHost}${stagePath}${url.search}`;
}

type Outputs = Record<string, Record<string, unknown>>;

/** Every stack's ApiUrl rewritten; the rest of the file as it was. */
export function rewriteOutputs(outputs: Outputs, endpoint: string): { outputs: Outputs; changed: string[] } {
  const changed: string[] = [];
  const rewritten = Object.fromEntries(
    Object.entries(outputs).map(([stack, values]) => {
      const { ApiUrl: apiUrl, ApiId: apiId } = values;
      if (typeof apiUrl !== "string") return [stack, values];
      const local = localApiUrl(apiUrl, endpoint, typeof apiId === "string" ? apiId : undefined);
      if (local !== apiUrl) changed.push(`${stack}.ApiUrl: ${apiUrl} -> ${local}`);
      return [stack, { ...values, ApiUrl: local }];
    }),
  );
  return { outputs: rewritten, changed };
}

function main(): void {
  const file = resolve(process.argv[2] ?? "cdk-outputs.json");
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!endpoint) throw new ApiUrlError("AWS_ENDPOINT_URL is not set: nothing to rewrite for");
  const { outputs, changed } = rewriteOutputs(JSON.parse(readFileSync(file, "utf8")) as Outputs, endpoint);
  writeFileSync(file, `${JSON.stringify(outputs, null, 2)}\n`);
  for (const line of changed) process.stdout.write(`${line}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error: unknown) {
    process.stderr.write(`local-api-url failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
