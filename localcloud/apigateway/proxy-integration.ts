import type { HttpResponse, LambdaInvoker } from "../types.ts";
import { buildProxyEvent, type ProxyEventInput } from "./proxy-event.ts";
import { MalformedProxyResponseError, toHttpResponse } from "./proxy-response.ts";
import { jsonResponse } from "./responses.ts";

export interface ProxyIntegrationCall {
  readonly lambda: LambdaInvoker;
  readonly functionName: string;
  readonly event: ProxyEventInput;
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
  /** The stage's X-Ray trace, passed on to the function. */
  readonly traceHeader?: string;
}

const INTERNAL_ERROR = { message: "Internal server error" };

class IntegrationTimeoutError extends Error {
  override readonly name = "IntegrationTimeoutError";
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new IntegrationTimeoutError(`no answer within ${timeoutMs}ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs an AWS_PROXY integration and answers as API Gateway does when it goes
 * wrong: 502 for a function error or a malformed answer, 504 past the
 * integration timeout, 500 when the function cannot be invoked at all.
 */
export async function invokeProxyIntegration(call: ProxyIntegrationCall): Promise<HttpResponse> {
  const event = buildProxyEvent(call.event);
  let result;
  try {
    result = await withTimeout(call.lambda.invoke(call.functionName, JSON.stringify(event), { invocationType: "RequestResponse", ...(call.traceHeader ? { traceHeader: call.traceHeader } : {}) }), call.timeoutMs);
  } catch (error) {
    if (error instanceof IntegrationTimeoutError) {
      call.log(`${call.functionName}: ${error.message}; answering 504`);
      return jsonResponse(504, { message: "Endpoint request timed out" });
    }
    call.log(`${call.functionName}: invoke failed: ${error instanceof Error ? error.message : String(error)}`);
    return jsonResponse(500, INTERNAL_ERROR);
  }
  if (result.functionError) {
    call.log(`${call.functionName}: function error (${result.functionError}); answering 502`);
    return jsonResponse(502, INTERNAL_ERROR);
  }
  try {
    return toHttpResponse(result);
  } catch (error) {
    if (!(error instanceof MalformedProxyResponseError)) throw error;
    call.log(`${call.functionName}: malformed Lambda proxy response (${error.message}); answering 502`);
    return jsonResponse(502, INTERNAL_ERROR);
  }
}
