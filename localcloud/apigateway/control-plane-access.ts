import type { ApiKeyDefinition, HttpRequest, HttpResponse, UsagePlanDefinition } from "../types.ts";
import type { ApiAccessRegistry } from "./api-access-registry.ts";
import { awsError, jsonResponse } from "./responses.ts";

// JSON shapes of the API Gateway REST API reference; lists travel as "item", dates as epoch seconds.

const ROUTE = /^\/(?:apikeys(?:\/([^/]+))?|usageplans(?:\/([^/]+)(?:\/(keys)(?:\/([^/]+))?)?)?)\/?$/;
const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
const notFound = (message: string): HttpResponse => awsError(404, "NotFoundException", message);

export function isAccessControlPlanePath(request: HttpRequest): boolean {
  return ROUTE.test(new URL(request.url, "http://localhost").pathname);
}

export function apiKeyJson(key: ApiKeyDefinition, includeValue: boolean): Record<string, unknown> {
  return {
    id: key.id,
    ...(includeValue ? { value: key.value } : {}),
    name: key.name,
    ...(key.customerId === undefined ? {} : { customerId: key.customerId }),
    ...(key.description === undefined ? {} : { description: key.description }),
    enabled: key.enabled,
    createdDate: epochSeconds(key.createdDate),
    lastUpdatedDate: epochSeconds(key.createdDate),
    stageKeys: [],
  };
}

export function usagePlanJson(plan: UsagePlanDefinition): Record<string, unknown> {
  return {
    id: plan.id,
    name: plan.name,
    ...(plan.description === undefined ? {} : { description: plan.description }),
    apiStages: plan.apiStages.map((stage) => ({ apiId: stage.apiId, stage: stage.stage })),
    ...(plan.throttle ? { throttle: { burstLimit: plan.throttle.burstLimit, rateLimit: plan.throttle.rateLimit } } : {}),
    ...(plan.quota ? { quota: { limit: plan.quota.limit, offset: plan.quota.offset, period: plan.quota.period } } : {}),
  };
}

const usagePlanKeyJson = (key: ApiKeyDefinition): Record<string, unknown> => ({ id: key.id, type: "API_KEY", value: key.value, name: key.name });

/**
 * The read-only API key and usage plan operations: GetApiKeys (includeValues, name,
 * customerId), GetApiKey (includeValue), GetUsagePlans (keyId), GetUsagePlan,
 * GetUsagePlanKeys (name) and GetUsagePlanKey. Keys and plans come from templates.
 */
export function handleAccessControlPlane(request: HttpRequest, registry: ApiAccessRegistry): HttpResponse {
  const url = new URL(request.url, "http://localhost");
  const [, keyId, planId, keys, planKeyId] = ROUTE.exec(url.pathname) ?? [];
  if (request.method.toUpperCase() !== "GET") {
    return awsError(400, "BadRequestException", "API keys and usage plans come from the deployed template; change the template and redeploy");
  }
  const query = url.searchParams;
  const isTrue = (name: string): boolean => query.get(name) === "true";
  if (url.pathname.startsWith("/apikeys")) {
    if (keyId !== undefined) {
      const key = registry.apiKey(decodeURIComponent(keyId));
      return key ? jsonResponse(200, apiKeyJson(key, isTrue("includeValue"))) : notFound("Invalid API Key identifier specified");
    }
    const name = query.get("name");
    const customerId = query.get("customerId");
    const found = registry
      .apiKeys()
      .filter((key) => (name === null || key.name.startsWith(name)) && (customerId === null || key.customerId === customerId));
    return jsonResponse(200, { item: found.map((key) => apiKeyJson(key, isTrue("includeValues"))) });
  }
  if (planId === undefined) {
    const byKey = query.get("keyId");
    const plans = registry.usagePlans().filter((plan) => byKey === null || registry.keysOfPlan(plan.id).some((key) => key.id === byKey));
    return jsonResponse(200, { item: plans.map(usagePlanJson) });
  }
  const plan = registry.usagePlan(decodeURIComponent(planId));
  if (!plan) return notFound("Invalid Usage Plan ID specified");
  if (keys === undefined) return jsonResponse(200, usagePlanJson(plan));
  const members = registry.keysOfPlan(plan.id);
  if (planKeyId !== undefined) {
    const key = members.find((member) => member.id === decodeURIComponent(planKeyId));
    return key ? jsonResponse(200, usagePlanKeyJson(key)) : notFound("Invalid Usage Plan Key identifier specified");
  }
  const name = query.get("name");
  return jsonResponse(200, { item: members.filter((key) => name === null || key.name.startsWith(name)).map(usagePlanKeyJson) });
}
