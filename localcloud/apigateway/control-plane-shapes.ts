import { createHash } from "node:crypto";
import type { ApiAuthorizer, ApiMethod, ApiResource, RestApiDefinition } from "../types.ts";

// JSON shapes of the API Gateway REST API reference (dates as epoch seconds, as its JSON protocol sends them).

const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

export function restApiJson(api: RestApiDefinition): Record<string, unknown> {
  const root = api.resources.find((resource) => resource.parentId === undefined);
  return {
    id: api.id,
    name: api.name,
    ...(api.description === undefined ? {} : { description: api.description }),
    createdDate: epochSeconds(api.createdDate),
    apiKeySource: "HEADER",
    endpointConfiguration: { types: ["EDGE"] },
    disableExecuteApiEndpoint: false,
    ...(root ? { rootResourceId: root.id } : {}),
  };
}

function methodJson(resource: ApiResource, method: ApiMethod): Record<string, unknown> {
  const integration = method.integration;
  return {
    httpMethod: method.httpMethod,
    authorizationType: method.authorizationType,
    ...(method.authorizerId === undefined ? {} : { authorizerId: method.authorizerId }),
    apiKeyRequired: method.apiKeyRequired,
    ...(integration
      ? {
          methodIntegration: {
            type: integration.type,
            ...(integration.httpMethod ? { httpMethod: integration.httpMethod } : {}),
            ...(integration.uri ? { uri: integration.uri } : {}),
            passthroughBehavior: "WHEN_NO_MATCH",
            timeoutInMillis: 29000,
            cacheNamespace: resource.id,
            cacheKeyParameters: [],
          },
        }
      : {}),
  };
}

/** Without `embed=methods` API Gateway lists each method as an empty object (a link in its HAL form). */
export function resourceJson(resource: ApiResource, embedMethods: boolean): Record<string, unknown> {
  const methods = Object.entries(resource.methods);
  return {
    id: resource.id,
    ...(resource.parentId === undefined ? {} : { parentId: resource.parentId }),
    ...(resource.pathPart === undefined ? {} : { pathPart: resource.pathPart }),
    path: resource.path,
    ...(methods.length === 0
      ? {}
      : { resourceMethods: Object.fromEntries(methods.map(([verb, method]) => [verb, embedMethods ? methodJson(resource, method) : {}])) }),
  };
}

/** The template's deployment id is not kept, so a stable stand-in is derived from the API and stage. */
function deploymentIdFor(apiId: string, stageName: string): string {
  return createHash("sha256").update(`${apiId}/${stageName}`).digest("hex").slice(0, 6);
}

export function stageJson(api: RestApiDefinition, stageName: string): Record<string, unknown> {
  return {
    deploymentId: deploymentIdFor(api.id, stageName),
    stageName,
    cacheClusterEnabled: false,
    cacheClusterStatus: "NOT_AVAILABLE",
    methodSettings: {},
    tracingEnabled: false,
    createdDate: epochSeconds(api.createdDate),
    lastUpdatedDate: epochSeconds(api.createdDate),
  };
}

export function authorizerJson(authorizer: ApiAuthorizer): Record<string, unknown> {
  return {
    id: authorizer.id,
    name: authorizer.name,
    type: authorizer.type,
    ...(authorizer.authorizerUri === undefined ? {} : { authorizerUri: authorizer.authorizerUri }),
    ...(authorizer.identitySource === undefined ? {} : { identitySource: authorizer.identitySource }),
    ...(authorizer.identityValidationExpression === undefined ? {} : { identityValidationExpression: authorizer.identityValidationExpression }),
    authorizerResultTtlInSeconds: authorizer.resultTtlSeconds,
  };
}
