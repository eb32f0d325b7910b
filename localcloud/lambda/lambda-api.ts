/**
 * The Lambda REST API, in the shapes the AWS SDK v3 and `aws lambda …` expect:
 * Invoke, ListFunctions, GetFunction, GetFunctionConfiguration, and the calls
 * `cdk deploy --hotswap` makes: UpdateFunctionCode, UpdateFunctionConfiguration;
 * DeleteFunction.
 */
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import type { CloudContext, HttpRequest, HttpResponse, InvocationType } from "../types.ts";
import type { LambdaCodeStore } from "./code-store.ts";
import { LambdaApiError, UnknownOperationError } from "./errors.ts";
import { functionConfiguration } from "./function-configuration.ts";
import { codeFolderOf, configurationPatchOf, parseBody, type ConfigurationPatch } from "./function-updates.ts";
import { LATEST_VERSION } from "./lambda-environment.ts";
import type { DeployedFunction, InvocationResult } from "./run-invocation.ts";

/** What the API needs from the service. */
export interface LambdaApiBackend {
  /** Throws FunctionNotFoundError. */
  requireFunction(identifier: string): DeployedFunction;
  deployedFunctions(): readonly DeployedFunction[];
  invoke(identifier: string, payload: string, options: { invocationType: InvocationType; tailLog?: boolean; traceHeader?: string }): Promise<InvocationResult>;
  readonly codeStore: LambdaCodeStore;
  updateFunctionCode(identifier: string, codeDir: string): DeployedFunction;
  updateFunctionConfiguration(identifier: string, patch: ConfigurationPatch): DeployedFunction;
  deleteFunction(identifier: string): void;
}

const API_PREFIX = "/2015-03-31/functions";

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: { "content-type": "application/json", "x-amzn-requestid": randomUUID(), ...headers },
    body: JSON.stringify(body),
  };
}

export function errorResponse(error: LambdaApiError): HttpResponse {
  return json(error.statusCode, { Type: "User", message: error.message }, { "x-amzn-errortype": error.errorType });
}

function header(request: HttpRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function invoke(backend: LambdaApiBackend, identifier: string, request: HttpRequest): Promise<HttpResponse> {
  backend.requireFunction(identifier);
  const invocationType = header(request, "x-amz-invocation-type") ?? "RequestResponse";
  const executed = { "x-amz-executed-version": LATEST_VERSION, "x-amzn-requestid": randomUUID() };
  if (invocationType === "DryRun") return { statusCode: 204, headers: executed };
  const payload = request.body.toString("utf8");
  // A caller's X-Ray SDK sends its trace with the call; the invocation continues it.
  const traceHeader = header(request, "x-amzn-trace-id") ?? header(request, "x-amz-trace-id");
  const traced = traceHeader === undefined ? {} : { traceHeader };
  if (invocationType === "Event") {
    await backend.invoke(identifier, payload, { invocationType: "Event", ...traced });
    return { statusCode: 202, headers: executed };
  }
  const tailLog = header(request, "x-amz-log-type") === "Tail";
  const result = await backend.invoke(identifier, payload, { invocationType: "RequestResponse", tailLog, ...traced });
  const headers: Record<string, string> = { ...executed, "content-type": "application/json" };
  if (result.functionError !== undefined) headers["x-amz-function-error"] = result.functionError;
  if (result.logTail !== undefined) headers["x-amz-log-result"] = result.logTail;
  return { statusCode: result.statusCode, headers, body: result.payload };
}

function getFunction(ctx: CloudContext, fn: DeployedFunction): HttpResponse {
  const concurrency = fn.config.reservedConcurrency;
  return json(200, {
    Configuration: functionConfiguration(ctx, fn),
    // Lambda hands out a presigned S3 URL of the zip; locally the bundle folder is the code.
    Code: { RepositoryType: "S3", Location: pathToFileURL(fn.config.codeDir).href },
    ...(concurrency === undefined ? {} : { Concurrency: { ReservedConcurrentExecutions: concurrency } }),
  });
}

async function route(ctx: CloudContext, backend: LambdaApiBackend, request: HttpRequest): Promise<HttpResponse> {
  const path = new URL(request.url, "http://localhost").pathname;
  const method = request.method.toUpperCase();
  if (path === API_PREFIX || path === `${API_PREFIX}/`) {
    if (method === "GET") return json(200, { Functions: backend.deployedFunctions().map((fn) => functionConfiguration(ctx, fn)) });
  }
  const match = /^\/2015-03-31\/functions\/([^/]+)(\/invocations|\/configuration|\/code)?\/?$/.exec(path);
  const identifier = match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
  if (identifier !== undefined) {
    const action = match?.[2];
    if (action === "/invocations" && method === "POST") return invoke(backend, identifier, request);
    if (action === "/configuration" && method === "GET") return json(200, functionConfiguration(ctx, backend.requireFunction(identifier)));
    if (action === "/configuration" && method === "PUT") {
      backend.requireFunction(identifier);
      const updated = backend.updateFunctionConfiguration(identifier, configurationPatchOf(parseBody(request.body)));
      return json(200, functionConfiguration(ctx, updated));
    }
    if (action === "/code" && method === "PUT") {
      backend.requireFunction(identifier);
      const codeDir = await codeFolderOf(parseBody(request.body), backend.codeStore);
      return json(200, functionConfiguration(ctx, backend.updateFunctionCode(identifier, codeDir)));
    }
    if (action === undefined && method === "GET") return getFunction(ctx, backend.requireFunction(identifier));
    if (action === undefined && method === "DELETE") {
      backend.deleteFunction(identifier);
      return { statusCode: 204, headers: { "x-amzn-requestid": randomUUID() } };
    }
  }
  throw new UnknownOperationError(method, path);
}

/** The answer of a Lambda API call, its LambdaApiError answered as Lambda answers errors. */
export async function answeringLambdaErrors(call: () => Promise<HttpResponse>): Promise<HttpResponse> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof LambdaApiError) return errorResponse(error);
    throw error;
  }
}

export function handleLambdaApi(ctx: CloudContext, backend: LambdaApiBackend, request: HttpRequest): Promise<HttpResponse> {
  return answeringLambdaErrors(() => route(ctx, backend, request));
}
