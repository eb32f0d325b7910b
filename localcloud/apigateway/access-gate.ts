import type { ApiMethod, HttpResponse, LambdaInvoker, RestApiDefinition } from "../types.ts";
import type { ApiAccessRegistry } from "./api-access-registry.ts";
import { checkApiKey } from "./api-key-check.ts";
import type { AuthorizerCache } from "./authorizer-cache.ts";
import { authorizerFailure } from "./gateway-responses.ts";
import { authorize } from "./lambda-authorizer.ts";
import { buildProxyEvent, type ProxyEventInput } from "./proxy-event.ts";
import type { UsageLimits } from "./usage-limits.ts";

export interface AccessGate {
  readonly registry: ApiAccessRegistry;
  readonly limits: UsageLimits;
  readonly cache: AuthorizerCache;
  readonly lambda: LambdaInvoker;
  readonly region: string;
  readonly log: (line: string) => void;
}

/** Let in, with what the proxy event carries about the caller; or refused with API Gateway's answer. */
export type Admission = { readonly admitted: true; readonly input: ProxyEventInput } | { readonly admitted: false; readonly response: HttpResponse };

/**
 * API Gateway's checks before an integration runs, in its order: the API key and
 * its usage plan first, then the method's Lambda authorizer. A refused request
 * never reaches the integration.
 */
export async function admit(gate: AccessGate, api: RestApiDefinition, method: ApiMethod, input: ProxyEventInput): Promise<Admission> {
  let admitted = input;
  if (method.apiKeyRequired) {
    const checked = checkApiKey(input.request, input.target.apiId, input.target.stage, gate.registry, gate.limits);
    if (!checked.allowed) return { admitted: false, response: checked.response };
    admitted = { ...admitted, apiKey: { id: checked.key.id, value: checked.key.value } };
  }
  if (method.authorizationType === "CUSTOM") {
    const authorizer = api.authorizers?.find((candidate) => candidate.id === method.authorizerId);
    if (!authorizer) {
      gate.log(`${method.httpMethod} on API ${api.id}: authorizer ${method.authorizerId ?? "(none)"} is not defined; answering 500`);
      return { admitted: false, response: authorizerFailure() };
    }
    const outcome = await authorize({ authorizer, event: buildProxyEvent(admitted), region: gate.region, lambda: gate.lambda, cache: gate.cache, log: gate.log });
    if (!outcome.allowed) return { admitted: false, response: outcome.response };
    admitted = { ...admitted, authorizer: outcome.context };
  }
  return { admitted: true, input: admitted };
}
