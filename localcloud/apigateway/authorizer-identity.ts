import type { APIGatewayProxyEvent } from "aws-lambda";
import type { ApiAuthorizer } from "../types.ts";

/** The identity sources of an authorizer, in order ("method.request.header.Authorization", …). */
export function identitySources(authorizer: ApiAuthorizer): string[] {
  return (authorizer.identitySource ?? "").split(",").map((source) => source.trim()).filter((source) => source !== "");
}

const lowerKeys = <T>(map: Record<string, T> | null): Record<string, T> =>
  Object.fromEntries(Object.entries(map ?? {}).map(([key, value]) => [key.toLowerCase(), value]));

/** The value an identity source names in the request, undefined (or "") when absent. */
export function identityValue(source: string, event: APIGatewayProxyEvent): string | undefined {
  const [, where = "", name = ""] = /^(method\.request\.(?:header|querystring|multivalueheader|multivaluequerystring|path)|stageVariables|context)\.(.+)$/.exec(source) ?? [];
  switch (where) {
    case "method.request.header":
      return lowerKeys(event.headers)[name.toLowerCase()];
    case "method.request.multivalueheader":
      return lowerKeys(event.multiValueHeaders)[name.toLowerCase()]?.join(",");
    case "method.request.querystring":
      return event.queryStringParameters?.[name];
    case "method.request.multivaluequerystring":
      return event.multiValueQueryStringParameters?.[name]?.join(",");
    case "method.request.path":
      return event.pathParameters?.[name];
    case "stageVariables":
      return event.stageVariables?.[name];
    case "context": {
      const value = (event.requestContext as unknown as Record<string, unknown>)[name];
      return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The identity values an authorizer is called (and cached) with, or undefined when
 * one is missing or empty — API Gateway then answers 401 without calling the function.
 */
export function collectIdentity(authorizer: ApiAuthorizer, event: APIGatewayProxyEvent): string[] | undefined {
  const values: string[] = [];
  for (const source of identitySources(authorizer)) {
    const value = identityValue(source, event);
    if (value === undefined || value === "") return undefined;
    values.push(value);
  }
  return values;
}

/** TOKEN only: the token must match the validation expression as a whole. */
export function passesValidation(authorizer: ApiAuthorizer, token: string): boolean {
  const expression = authorizer.identityValidationExpression;
  if (expression === undefined || expression === "") return true;
  try {
    return new RegExp(`^(?:${expression})$`).test(token);
  } catch {
    return false;
  }
}
