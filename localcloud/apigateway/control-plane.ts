import type { HttpRequest, HttpResponse, RestApiDefinition } from "../types.ts";
import { authorizerJson, restApiJson, resourceJson, stageJson } from "./control-plane-shapes.ts";
import { awsError, jsonResponse } from "./responses.ts";

const ROUTE = /^\/restapis(?:\/([^/]+)(?:\/(resources|stages|authorizers)(?:\/([^/]+))?)?)?\/?$/;

const notFound = (message: string): HttpResponse => awsError(404, "NotFoundException", message);

/**
 * The read-only part of the API Gateway control plane: enough for
 * `aws apigateway get-rest-apis / get-rest-api / get-resources / get-stages / get-authorizers`.
 * APIs come from the template, so changes are refused with a hint.
 */
export function handleControlPlane(
  request: HttpRequest,
  apis: ReadonlyMap<string, RestApiDefinition>,
  accountId: string,
): HttpResponse {
  const url = new URL(request.url, "http://localhost");
  const route = ROUTE.exec(url.pathname);
  if (!route) return notFound(`No API Gateway operation at ${url.pathname}`);
  if (request.method.toUpperCase() !== "GET") {
    return awsError(400, "BadRequestException", "This API Gateway is read-only: APIs come from the deployed template; change the template and redeploy");
  }
  const [, apiId, collection, itemId] = route;
  if (apiId === undefined) return jsonResponse(200, { item: [...apis.values()].map(restApiJson) });
  const api = apis.get(decodeURIComponent(apiId));
  if (!api) return notFound(`Invalid API identifier specified ${accountId}:${apiId}`);
  if (collection === "resources") {
    const embedMethods = url.searchParams.getAll("embed").some((value) => value.split(",").includes("methods"));
    if (itemId === undefined) return jsonResponse(200, { item: api.resources.map((resource) => resourceJson(resource, embedMethods)) });
    const resource = api.resources.find((candidate) => candidate.id === decodeURIComponent(itemId));
    if (!resource) return notFound(`Invalid Resource identifier specified ${accountId}:${api.id}/${itemId}`);
    return jsonResponse(200, resourceJson(resource, embedMethods));
  }
  if (collection === "stages") {
    if (itemId === undefined) return jsonResponse(200, { item: api.stages.map((stage) => stageJson(api, stage)) });
    const stage = api.stages.find((candidate) => candidate === decodeURIComponent(itemId));
    if (stage === undefined) return notFound(`Invalid Stage identifier specified`);
    return jsonResponse(200, stageJson(api, stage));
  }
  if (collection === "authorizers") {
    const authorizers = api.authorizers ?? [];
    if (itemId === undefined) return jsonResponse(200, { item: authorizers.map(authorizerJson) });
    const authorizer = authorizers.find((candidate) => candidate.id === decodeURIComponent(itemId));
    if (!authorizer) return notFound(`Invalid Authorizer identifier specified ${accountId}:${api.id}/${itemId}`);
    return jsonResponse(200, authorizerJson(authorizer));
  }
  return jsonResponse(200, restApiJson(api));
}
