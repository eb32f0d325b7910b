import type { ApiAuthorizer, ApiIntegrationResponse, ApiMethod, ApiResource, RestApiDefinition } from "../types.ts";
import type { CreatedResource } from "./resource-handlers.ts";
import { shortId } from "./physical-names.ts";

interface PendingResource {
  id: string;
  apiId: string;
  parentId?: string;
  pathPart?: string;
  methods: Record<string, ApiMethod>;
}

interface CfnIntegrationResponse {
  StatusCode?: unknown;
  SelectionPattern?: unknown;
  ResponseParameters?: Record<string, unknown>;
  ResponseTemplates?: Record<string, unknown>;
}

interface CfnIntegration {
  Type?: string;
  IntegrationHttpMethod?: string;
  Uri?: string;
  RequestTemplates?: Record<string, unknown>;
  IntegrationResponses?: CfnIntegrationResponse[];
}

const stringMap = (map: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(map).map(([key, value]) => [key, String(value)]));

function integrationResponse(response: CfnIntegrationResponse): ApiIntegrationResponse {
  return {
    statusCode: String(response.StatusCode ?? "200"),
    ...(response.SelectionPattern === undefined || response.SelectionPattern === "" ? {} : { selectionPattern: String(response.SelectionPattern) }),
    ...(response.ResponseParameters ? { responseParameters: stringMap(response.ResponseParameters) } : {}),
    ...(response.ResponseTemplates ? { responseTemplates: stringMap(response.ResponseTemplates) } : {}),
  };
}

interface PendingApi {
  id: string;
  name: string;
  description?: string;
  rootId: string;
  stages: Set<string>;
  tracedStages: Set<string>;
  authorizers: ApiAuthorizer[];
}

/**
 * API Gateway is declared as many small resources (api, resources, methods,
 * deployment, stage); this gathers them and hands out whole API definitions.
 */
export class ApiGatewayAssembler {
  private readonly apis = new Map<string, PendingApi>();
  private readonly resources = new Map<string, PendingResource>();

  addRestApi(logicalId: string, properties: Record<string, unknown>, stackName: string): CreatedResource {
    const id = shortId(`${stackName}/${logicalId}`);
    const rootId = shortId(`${stackName}/${logicalId}/root`);
    this.apis.set(id, {
      id,
      name: String(properties.Name ?? logicalId),
      description: properties.Description === undefined ? undefined : String(properties.Description),
      rootId,
      stages: new Set(),
      tracedStages: new Set(),
      authorizers: [],
    });
    this.resources.set(rootId, { id: rootId, apiId: id, methods: {} });
    return { ref: id, attributes: { RootResourceId: rootId } };
  }

  addResource(logicalId: string, properties: Record<string, unknown>): CreatedResource {
    const apiId = String(properties.RestApiId);
    const id = shortId(`${apiId}/${logicalId}`);
    this.resources.set(id, { id, apiId, parentId: String(properties.ParentId), pathPart: String(properties.PathPart), methods: {} });
    return { ref: id, attributes: { ResourceId: id } };
  }

  addMethod(logicalId: string, properties: Record<string, unknown>): CreatedResource {
    const resource = this.resources.get(String(properties.ResourceId));
    if (!resource) throw new Error(`${logicalId}: unknown API resource ${String(properties.ResourceId)}`);
    const httpMethod = String(properties.HttpMethod).toUpperCase();
    const integration = properties.Integration as CfnIntegration | undefined;
    const uri = integration?.Uri;
    resource.methods[httpMethod] = {
      httpMethod,
      authorizationType: String(properties.AuthorizationType ?? "NONE"),
      apiKeyRequired: properties.ApiKeyRequired === true || properties.ApiKeyRequired === "true",
      ...(properties.AuthorizerId === undefined ? {} : { authorizerId: String(properties.AuthorizerId) }),
      integration: integration && {
        type: String(integration.Type ?? "MOCK"),
        httpMethod: integration.IntegrationHttpMethod,
        uri,
        functionName: uri?.match(/:function:([^/:]+)/)?.[1],
        ...(integration.RequestTemplates ? { requestTemplates: stringMap(integration.RequestTemplates) } : {}),
        ...(integration.IntegrationResponses ? { integrationResponses: integration.IntegrationResponses.map(integrationResponse) } : {}),
      },
    };
    return { ref: `${resource.id}-${httpMethod}`, attributes: {} };
  }

  /** Authorizers are part of their API: an API's definition carries them. */
  addAuthorizer(logicalId: string, properties: Record<string, unknown>): CreatedResource {
    const apiId = String(properties.RestApiId);
    const api = this.apis.get(apiId);
    if (!api) throw new Error(`${logicalId}: unknown REST API ${apiId}`);
    const id = shortId(`${apiId}/${logicalId}`).slice(0, 6);
    const uri = properties.AuthorizerUri === undefined ? undefined : String(properties.AuthorizerUri);
    const functionName = uri?.match(/:function:([^/:]+)/)?.[1];
    const ttl = properties.AuthorizerResultTtlInSeconds;
    api.authorizers.push({
      id,
      name: String(properties.Name ?? logicalId),
      type: String(properties.Type ?? "TOKEN"),
      ...(properties.IdentitySource === undefined ? {} : { identitySource: String(properties.IdentitySource) }),
      ...(properties.IdentityValidationExpression === undefined ? {} : { identityValidationExpression: String(properties.IdentityValidationExpression) }),
      resultTtlSeconds: ttl === undefined ? 300 : Number(ttl), // CloudFormation's default
      ...(uri === undefined ? {} : { authorizerUri: uri }),
      ...(functionName === undefined ? {} : { functionName }),
    });
    return { ref: id, attributes: { AuthorizerId: id } };
  }

  addDeployment(logicalId: string, properties: Record<string, unknown>): CreatedResource {
    const apiId = String(properties.RestApiId);
    if (typeof properties.StageName === "string") this.apis.get(apiId)?.stages.add(properties.StageName);
    return { ref: shortId(`${apiId}/${logicalId}`), attributes: {} };
  }

  addStage(properties: Record<string, unknown>): CreatedResource {
    const stageName = String(properties.StageName);
    this.apis.get(String(properties.RestApiId))?.stages.add(stageName);
    if (properties.TracingEnabled === true || properties.TracingEnabled === "true") this.apis.get(String(properties.RestApiId))?.tracedStages.add(stageName);
    return { ref: stageName, attributes: {} };
  }

  definitions(createdDate: Date): RestApiDefinition[] {
    return [...this.apis.values()].map((api) => {
      const own = [...this.resources.values()].filter((resource) => resource.apiId === api.id);
      const pathOf = (resource: PendingResource): string => {
        if (!resource.parentId) return "/";
        const parent = this.resources.get(resource.parentId);
        const parentPath = parent ? pathOf(parent) : "/";
        return `${parentPath === "/" ? "" : parentPath}/${resource.pathPart ?? ""}`;
      };
      const resources: ApiResource[] = own.map((resource) => ({
        id: resource.id,
        parentId: resource.parentId,
        pathPart: resource.pathPart,
        path: pathOf(resource),
        methods: resource.methods,
      }));
      return { id: api.id, name: api.name, description: api.description, createdDate, stages: [...api.stages], tracedStages: [...api.tracedStages], resources, authorizers: [...api.authorizers] };
    });
  }
}
