import type { APIGatewayProxyEvent } from "aws-lambda";
import type { ApiAuthorizer, HttpResponse, LambdaInvoker } from "../types.ts";
import type { AuthorizerCache } from "./authorizer-cache.ts";
import { collectIdentity, passesValidation } from "./authorizer-identity.ts";
import { decide, MalformedAuthorizerResultError, parseAuthorizerResult, type AuthorizerResult } from "./authorizer-result.ts";
import { accessDenied, authorizerFailure, unauthorized } from "./gateway-responses.ts";

export interface AuthorizerCall {
  readonly authorizer: ApiAuthorizer;
  /** The proxy event the integration would get; the REQUEST event is made from it. */
  readonly event: APIGatewayProxyEvent;
  readonly region: string;
  readonly lambda: LambdaInvoker;
  readonly cache: AuthorizerCache;
  readonly log: (line: string) => void;
}

/** Allowed, with what goes into `requestContext.authorizer`; or refused, with API Gateway's answer. */
export type AuthorizerOutcome =
  | { readonly allowed: true; readonly context: Record<string, unknown> }
  | { readonly allowed: false; readonly response: HttpResponse };

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{VERB}/{path}` for the request as sent. */
export function methodArnOf(event: APIGatewayProxyEvent, region: string): string {
  const { accountId, apiId, stage } = event.requestContext;
  return `arn:aws:execute-api:${region}:${accountId}:${apiId}/${stage}/${event.httpMethod}/${event.path.replace(/^\//, "")}`;
}

function requestEvent(event: APIGatewayProxyEvent, methodArn: string): Record<string, unknown> {
  const { body: _body, isBase64Encoded: _encoded, ...rest } = event;
  return { type: "REQUEST", methodArn, ...rest, requestContext: { ...event.requestContext, authorizer: undefined } };
}

async function invoke(call: AuthorizerCall, payload: Record<string, unknown>): Promise<AuthorizerResult | HttpResponse> {
  const name = call.authorizer.functionName;
  if (!name) {
    call.log(`authorizer ${call.authorizer.name}: no Lambda function in its URI; answering 500`);
    return authorizerFailure();
  }
  let result;
  try {
    result = await call.lambda.invoke(name, JSON.stringify(payload), { invocationType: "RequestResponse" });
  } catch (error) {
    call.log(`authorizer ${call.authorizer.name}: invoke failed: ${error instanceof Error ? error.message : String(error)}; answering 500`);
    return authorizerFailure();
  }
  if (result.functionError) {
    const message = (() => {
      try {
        return (JSON.parse(result.payload) as { errorMessage?: unknown }).errorMessage;
      } catch {
        return undefined;
      }
    })();
    if (message === "Unauthorized") return unauthorized();
    call.log(`authorizer ${call.authorizer.name}: function error (${String(message)}); answering 500`);
    return authorizerFailure();
  }
  try {
    return parseAuthorizerResult(result.payload);
  } catch (error) {
    if (!(error instanceof MalformedAuthorizerResultError)) throw error;
    call.log(`authorizer ${call.authorizer.name}: unusable answer (${error.message}); answering 500`);
    return authorizerFailure();
  }
}

/**
 * Runs a TOKEN or REQUEST Lambda authorizer as API Gateway does: identity check
 * (401 without calling the function), the cached result or a call, then the policy
 * for this method (403 unless allowed). Errors become 401 ("Unauthorized") or 500.
 */
export async function authorize(call: AuthorizerCall): Promise<AuthorizerOutcome> {
  const { authorizer, event } = call;
  const refuse = (response: HttpResponse): AuthorizerOutcome => ({ allowed: false, response });
  if (authorizer.type !== "TOKEN" && authorizer.type !== "REQUEST") {
    call.log(`authorizer ${authorizer.name}: ${authorizer.type} authorizers are not emulated; answering 500`);
    return refuse(authorizerFailure());
  }
  const identity = collectIdentity(authorizer, event);
  if (identity === undefined) return refuse(unauthorized());
  const token = identity[0] ?? "";
  if (authorizer.type === "TOKEN" && (identity.length === 0 || !passesValidation(authorizer, token))) return refuse(unauthorized());
  const methodArn = methodArnOf(event, call.region);
  const cacheKey = `${event.requestContext.apiId}/${authorizer.id}/${JSON.stringify(identity)}`;
  // Without identity sources nothing tells callers apart, so nothing is cached.
  const cacheable = authorizer.resultTtlSeconds > 0 && identity.length > 0;
  let result = cacheable ? call.cache.get(cacheKey) : undefined;
  let latency = 0;
  if (!result) {
    const started = performance.now();
    const payload = authorizer.type === "TOKEN" ? { type: "TOKEN", authorizationToken: token, methodArn } : requestEvent(event, methodArn);
    const answer = await invoke(call, payload);
    if ("statusCode" in answer) return refuse(answer);
    latency = Math.round(performance.now() - started);
    result = answer;
    if (cacheable) call.cache.set(cacheKey, result, authorizer.resultTtlSeconds);
  }
  const decision = decide(result, methodArn);
  if (decision !== "allow") return refuse(accessDenied(decision === "explicit-deny"));
  return { allowed: true, context: { ...result.context, principalId: result.principalId, integrationLatency: latency } };
}
