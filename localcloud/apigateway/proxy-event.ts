import type { APIGatewayProxyEvent } from "aws-lambda";
import type { HttpRequest } from "../types.ts";
import type { ExecuteApiTarget } from "./execute-api-url.ts";
import { headerMaps, isTextContentType, queryMaps } from "./proxy-event-maps.ts";
import { formatRequestTime, type RequestStamp } from "./request-identity.ts";
import type { RouteMatch } from "./route-matcher.ts";

export interface ProxyEventInput {
  readonly request: HttpRequest;
  readonly target: ExecuteApiTarget;
  readonly match: RouteMatch;
  readonly accountId: string;
  readonly stamp: RequestStamp;
  /** What a Lambda authorizer let through: principalId, integrationLatency and its context. */
  readonly authorizer?: Record<string, unknown>;
  /** The API key the request was let in with. */
  readonly apiKey?: { readonly id: string; readonly value: string };
}

const orNull = <T extends object>(map: T): T | null => (Object.keys(map).length === 0 ? null : map);

function hostName(request: HttpRequest): string {
  const host = typeof request.headers.host === "string" ? request.headers.host : "localhost";
  return host.replace(/:\d+$/, "");
}

/** The REST API (v1) Lambda proxy event, with AWS's nulls where a part is absent. */
export function buildProxyEvent({ request, target, match, accountId, stamp, authorizer, apiKey }: ProxyEventInput): APIGatewayProxyEvent {
  const headers = headerMaps(request, stamp);
  const query = queryMaps(target.query);
  const binary = !isTextContentType(request.headers["content-type"]);
  const hasBody = request.body.length > 0;
  const domainName = hostName(request);
  const userAgent = request.headers["user-agent"];
  return {
    resource: match.resource.path,
    path: target.path,
    httpMethod: request.method.toUpperCase(),
    headers: headers.single,
    multiValueHeaders: headers.multi,
    queryStringParameters: orNull(query.single),
    multiValueQueryStringParameters: orNull(query.multi),
    pathParameters: orNull({ ...match.pathParameters }),
    stageVariables: null,
    requestContext: {
      accountId,
      apiId: target.apiId,
      authorizer,
      resourceId: match.resource.id,
      resourcePath: match.resource.path,
      httpMethod: request.method.toUpperCase(),
      path: `/${target.stage}${target.path}`,
      stage: target.stage,
      requestId: stamp.requestId,
      extendedRequestId: stamp.extendedRequestId,
      requestTime: formatRequestTime(stamp.receivedAt),
      requestTimeEpoch: stamp.receivedAt.getTime(),
      protocol: "HTTP/1.1",
      domainName,
      domainPrefix: domainName.split(".")[0] ?? domainName,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: apiKey?.value ?? null,
        apiKeyId: apiKey?.id ?? null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp ?? "127.0.0.1",
        user: null,
        userAgent: typeof userAgent === "string" ? userAgent : null,
        userArn: null,
      },
    },
    body: hasBody ? request.body.toString(binary ? "base64" : "utf8") : null,
    isBase64Encoded: hasBody && binary,
  };
}
