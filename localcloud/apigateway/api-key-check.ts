import type { ApiKeyDefinition, HttpRequest, HttpResponse } from "../types.ts";
import type { ApiAccessRegistry } from "./api-access-registry.ts";
import { invalidApiKey, quotaExceeded, throttled } from "./gateway-responses.ts";
import type { UsageLimits } from "./usage-limits.ts";

export type ApiKeyOutcome = { readonly allowed: true; readonly key: ApiKeyDefinition } | { readonly allowed: false; readonly response: HttpResponse };

function headerValue(request: HttpRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A method with `ApiKeyRequired`: the `x-api-key` header must name an enabled key on
 * a usage plan of this API stage (else 403 Forbidden), within the plan's throttle
 * (429 Too Many Requests) and quota (429 Limit Exceeded).
 */
export function checkApiKey(request: HttpRequest, apiId: string, stage: string, registry: ApiAccessRegistry, limits: UsageLimits): ApiKeyOutcome {
  const value = headerValue(request, "x-api-key");
  const key = value ? registry.keyByValue(value) : undefined;
  const plan = key?.enabled ? registry.planFor(key.id, apiId, stage) : undefined;
  if (!key || !plan) return { allowed: false, response: invalidApiKey() };
  const outcome = limits.take(plan, key.id, apiId, stage);
  if (outcome === "throttled") return { allowed: false, response: throttled() };
  if (outcome === "quota-exceeded") return { allowed: false, response: quotaExceeded() };
  return { allowed: true, key };
}
