import type { CloudContext, HttpRequest, HttpResponse, LambdaInvoker, RestApiDefinition, Service } from "../types.ts";
import { admit, type AccessGate } from "./access-gate.ts";
import { ApiAccessRegistry } from "./api-access-registry.ts";
import { AuthorizerCache } from "./authorizer-cache.ts";
import { handleAccessControlPlane, isAccessControlPlanePath } from "./control-plane-access.ts";
import { handleControlPlane } from "./control-plane.ts";
import { parseExecuteApiTarget } from "./execute-api-url.ts";
import { runMockIntegration } from "./mock-integration.ts";
import { invokeProxyIntegration } from "./proxy-integration.ts";
import { stampRequest, type RequestStamp } from "./request-identity.ts";
import { awsError, jsonResponse, missingAuthenticationToken } from "./responses.ts";
import { methodFor, RouteMatcher } from "./route-matcher.ts";
import { UsageLimits } from "./usage-limits.ts";
import { startStageTrace } from "../xray/stage-trace.ts";

export interface ApiGatewayOptions {
  /** How long a proxy integration may take before a 504, as API Gateway's 29-second limit. @default 29000 */
  readonly integrationTimeoutMs?: number;
  /** Where the seed of generated API key values is kept, so they survive a restart. @default in memory only */
  readonly keySeedFile?: string;
}

interface DeployedApi {
  readonly definition: RestApiDefinition;
  readonly matcher: RouteMatcher;
}

/**
 * API Gateway REST (v1): serves deployed APIs on LocalStack's execute-api URL
 * forms, runs AWS_PROXY integrations through the Lambda runtime and MOCK
 * integrations (such as CORS preflights) from their templates, and answers
 * the read-only `/restapis` control plane. Methods are guarded as on AWS by API
 * keys with usage plans and by Lambda authorizers (see access-gate.ts).
 */
export class ApiGatewayService implements Service {
  private readonly apis = new Map<string, DeployedApi>();
  private readonly warnedMethods = new Set<string>();
  private readonly integrationTimeoutMs: number;
  /** API keys and usage plans; the deployer puts what the templates declare here. */
  readonly access: ApiAccessRegistry;
  private readonly gate: AccessGate;

  constructor(
    private readonly ctx: CloudContext,
    private readonly lambda: LambdaInvoker,
    options: ApiGatewayOptions = {},
  ) {
    this.integrationTimeoutMs = options.integrationTimeoutMs ?? 29_000;
    this.access = new ApiAccessRegistry(options.keySeedFile);
    this.gate = {
      registry: this.access,
      limits: new UsageLimits(),
      cache: new AuthorizerCache(),
      lambda,
      region: ctx.region,
      log: (line) => ctx.log("apigateway", line),
    };
  }

  /** Adds an API, or replaces the one with the same id. */
  putRestApi(definition: RestApiDefinition): void {
    this.apis.set(definition.id, { definition, matcher: new RouteMatcher(definition) });
    this.gate.cache.flushApi(definition.id);
  }

  /** Removes an API; its URLs answer as for an API that never existed. */
  deleteRestApi(id: string): void {
    this.apis.delete(id);
  }

  /** True when a request is for an API's execute-api URL (so the gateway sends it here). */
  static isExecuteApiRequest(request: HttpRequest): boolean {
    return parseExecuteApiTarget(request) !== undefined;
  }

  async handle(request: HttpRequest): Promise<HttpResponse> {
    const started = performance.now();
    const response = await this.route(request);
    const path = request.url.split("?")[0] ?? request.url;
    this.ctx.log("apigateway", `${request.method} ${path} ${response.statusCode} ${Math.round(performance.now() - started)}ms`);
    return response;
  }

  async stop(): Promise<void> {
    this.apis.clear();
  }

  private async route(request: HttpRequest): Promise<HttpResponse> {
    if (ApiGatewayService.isExecuteApiRequest(request)) return this.execute(request);
    if (isAccessControlPlanePath(request)) return handleAccessControlPlane(request, this.access);
    const definitions = new Map([...this.apis].map(([id, api]) => [id, api.definition]));
    return handleControlPlane(request, definitions, this.ctx.accountId);
  }

  private async execute(request: HttpRequest): Promise<HttpResponse> {
    const target = parseExecuteApiTarget(request);
    const api = target && this.apis.get(target.apiId);
    const trace = target && api?.definition.tracedStages?.includes(target.stage)
      ? startStageTrace(this.ctx, `${target.apiId}/${target.stage}`, `${request.method} ${target.path}`, firstHeader(request, "x-amzn-trace-id"))
      : undefined;
    const response = await this.executeStamped(request, target, api, trace?.header);
    trace?.finish(response.statusCode);
    return response;
  }

  private async executeStamped(request: HttpRequest, target: ReturnType<typeof parseExecuteApiTarget>, api: DeployedApi | undefined, traceHeader: string | undefined): Promise<HttpResponse> {
    const stamp = traceHeader === undefined ? stampRequest() : { ...stampRequest(), traceId: traceHeader };
    const ids = stampHeaders(stamp);
    if (!target || !api) {
      return awsError(404, "NotFoundException", `The API id '${target?.apiId ?? ""}' does not correspond to a deployed API`, ids);
    }
    if (!api.definition.stages.includes(target.stage)) {
      this.ctx.log("apigateway", `no stage '${target.stage}' on API ${api.definition.id} (stages: ${api.definition.stages.join(", ") || "none"})`);
      return missingAuthenticationToken(ids);
    }
    const match = api.matcher.match(target.path);
    const method = match && methodFor(match.resource, request.method);
    if (!match || !method) return missingAuthenticationToken(ids);
    const admission = await admit(this.gate, api.definition, method, { request, target, match, accountId: this.ctx.accountId, stamp });
    if (!admission.admitted) return { ...admission.response, headers: { ...admission.response.headers, ...ids } };
    const integration = method.integration;
    if (integration?.type === "AWS_PROXY" && integration.functionName) {
      const response = await invokeProxyIntegration({
        lambda: this.lambda,
        functionName: integration.functionName,
        event: admission.input,
        timeoutMs: this.integrationTimeoutMs,
        log: (line) => this.ctx.log("apigateway", line),
        ...(traceHeader ? { traceHeader } : {}),
      });
      return { ...response, headers: { ...response.headers, ...ids } };
    }
    const where = `${method.httpMethod} ${match.resource.path} on API ${api.definition.id}`;
    if (integration?.type === "MOCK") {
      const query = new URLSearchParams(request.url.split("?")[1] ?? "");
      const response = runMockIntegration({ integration, request, match, query, warn: (line) => this.warnOnce(`${where} ${line}`, `${where}: ${line}`) });
      return { ...response, headers: { ...response.headers, ...ids } };
    }
    this.warnOnce(where, `${where}: ${integration?.type ?? "missing"} integration is not emulated; answering 500`);
    return jsonResponse(500, { message: "Internal server error" }, { "x-amzn-ErrorType": "InternalServerErrorException", ...ids });
  }

  private warnOnce(key: string, line: string): void {
    if (this.warnedMethods.has(key)) return;
    this.warnedMethods.add(key);
    this.ctx.log("apigateway", line);
  }
}

function firstHeader(request: HttpRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function stampHeaders(stamp: RequestStamp): Record<string, string> {
  return { "x-amzn-RequestId": stamp.requestId, "x-amz-apigw-id": stamp.extendedRequestId, "X-Amzn-Trace-Id": stamp.traceId };
}
