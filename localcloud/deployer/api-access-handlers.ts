import type { ApiKeyDefinition, UsagePlanDefinition } from "../types.ts";
import { shortId } from "./physical-names.ts";
import type { CreatedResource, DeployTargets, HandlerInput, ResourceHandler } from "./resource-handlers.ts";

/** Where API keys and usage plans go: the API Gateway service's registry. */
export interface ApiAccessTarget {
  putApiKey(key: ApiKeyDefinition): void;
  deleteApiKey(id: string): void;
  putUsagePlan(plan: UsagePlanDefinition): void;
  deleteUsagePlan(id: string): void;
  putUsagePlanKey(planId: string, keyId: string): void;
  deleteUsagePlanKey(planId: string, keyId: string): void;
  /** A 40-character value for a key declared without one, the same on every start for this data folder. */
  generatedKeyValue(stackName: string, logicalId: string): string;
}

const PERIODS = new Set(["DAY", "WEEK", "MONTH"]);
const isTrue = (value: unknown): boolean => value === true || value === "true";

/** Without an API Gateway to hold them, the resources are accepted and reported as not emulated. */
function notRun(targets: DeployTargets, logicalId: string, ref: string): CreatedResource {
  targets.ctx.log("deploy", `${logicalId}: no API Gateway is running; accepted but not enforced`);
  return { ref, attributes: {}, emulated: false };
}

async function createApiKey({ logicalId, properties, physicalName, stackName, targets }: HandlerInput): Promise<CreatedResource> {
  const id = shortId(`${stackName}/${logicalId}/apikey`);
  if (!targets.apiAccess) return notRun(targets, logicalId, id);
  const value = properties.Value === undefined ? targets.apiAccess.generatedKeyValue(stackName, logicalId) : String(properties.Value);
  if (value.length < 20) throw new Error(`${logicalId}: an API key value must be at least 20 characters, got ${value.length}`);
  targets.apiAccess.putApiKey({
    id,
    name: properties.Name === undefined ? physicalName(128) : String(properties.Name),
    value,
    enabled: isTrue(properties.Enabled), // CreateApiKey's default is a disabled key
    ...(properties.Description === undefined ? {} : { description: String(properties.Description) }),
    ...(properties.CustomerId === undefined ? {} : { customerId: String(properties.CustomerId) }),
    createdDate: new Date(),
  });
  return { ref: id, attributes: { APIKeyId: id } };
}

interface CfnUsagePlan {
  UsagePlanName?: unknown;
  Description?: unknown;
  ApiStages?: { ApiId?: unknown; Stage?: unknown }[];
  Throttle?: { RateLimit?: unknown; BurstLimit?: unknown };
  Quota?: { Limit?: unknown; Period?: unknown; Offset?: unknown };
}

function usagePlanOf(id: string, logicalId: string, properties: CfnUsagePlan, name: string): UsagePlanDefinition {
  const { Throttle: throttle, Quota: quota } = properties;
  const period = String(quota?.Period ?? "").toUpperCase();
  if (quota && !PERIODS.has(period)) throw new Error(`${logicalId}: Quota.Period must be DAY, WEEK or MONTH, got ${String(quota.Period)}`);
  return {
    id,
    name,
    ...(properties.Description === undefined ? {} : { description: String(properties.Description) }),
    apiStages: (properties.ApiStages ?? []).map((stage) => ({ apiId: String(stage.ApiId), stage: String(stage.Stage) })),
    // API Gateway's account-level defaults stand in for a half-given throttle.
    ...(throttle ? { throttle: { rateLimit: Number(throttle.RateLimit ?? 10_000), burstLimit: Number(throttle.BurstLimit ?? 5_000) } } : {}),
    ...(quota ? { quota: { limit: Number(quota.Limit), period: period as "DAY" | "WEEK" | "MONTH", offset: Number(quota.Offset ?? 0) } } : {}),
    createdDate: new Date(),
  };
}

async function createUsagePlan({ logicalId, properties, physicalName, stackName, targets }: HandlerInput): Promise<CreatedResource> {
  const id = shortId(`${stackName}/${logicalId}/usageplan`).slice(0, 6);
  if (!targets.apiAccess) return notRun(targets, logicalId, id);
  const cfn = properties as CfnUsagePlan;
  targets.apiAccess.putUsagePlan(usagePlanOf(id, logicalId, cfn, cfn.UsagePlanName === undefined ? physicalName(128) : String(cfn.UsagePlanName)));
  return { ref: id, attributes: { Id: id } };
}

async function createUsagePlanKey({ logicalId, properties, targets }: HandlerInput): Promise<CreatedResource> {
  const keyId = String(properties.KeyId);
  if (!targets.apiAccess) return notRun(targets, logicalId, keyId);
  if (properties.KeyType !== undefined && properties.KeyType !== "API_KEY") throw new Error(`${logicalId}: KeyType must be API_KEY`);
  targets.apiAccess.putUsagePlanKey(String(properties.UsagePlanId), keyId);
  return { ref: keyId, attributes: { Id: keyId } };
}

export const API_ACCESS_HANDLERS: Readonly<Record<string, ResourceHandler>> = {
  "AWS::ApiGateway::ApiKey": { create: createApiKey, delete: async ({ physicalId, targets }) => targets.apiAccess?.deleteApiKey(physicalId) },
  "AWS::ApiGateway::UsagePlan": { create: createUsagePlan, delete: async ({ physicalId, targets }) => targets.apiAccess?.deleteUsagePlan(physicalId) },
  "AWS::ApiGateway::UsagePlanKey": {
    create: createUsagePlanKey,
    delete: async ({ physicalId, properties, targets }) => targets.apiAccess?.deleteUsagePlanKey(String(properties.UsagePlanId), physicalId),
  },
  // Authorizers belong to their API, which the assembler hands out whole after each deployment.
  "AWS::ApiGateway::Authorizer": { create: async ({ api, logicalId, properties }) => api.addAuthorizer(logicalId, properties) },
};
