import type { ApiMethod, ApiResource, CloudContext, HttpRequest, InvokeResult, LambdaInvoker, RestApiDefinition } from "../../../../localcloud/types.ts";

export const API_ID = "a1b2c3d4e5";

export function testContext(lines: string[] = []): CloudContext {
  return {
    region: "us-east-1",
    accountId: "000000000000",
    endpoint: "http://localhost:4566",
    dataDir: "unused",
    log: (source, line) => lines.push(`${source}: ${line}`),
  };
}

const proxyTo = (functionName: string, httpMethod: string): ApiMethod => ({
  httpMethod,
  authorizationType: "NONE",
  apiKeyRequired: false,
  integration: { type: "AWS_PROXY", httpMethod: "POST", uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:${functionName}/invocations`, functionName },
});

const withType = (type: string, httpMethod: string): ApiMethod => ({ httpMethod, authorizationType: "NONE", apiKeyRequired: false, integration: { type } });

function resource(id: string, parentId: string, pathPart: string, path: string, methods: Record<string, ApiMethod>): ApiResource {
  return { id, parentId, pathPart, path, methods };
}

/** An API covering literal, parameter and greedy parts, error paths and integrations that are not proxied. */
export function testApi(): RestApiDefinition {
  return {
    id: API_ID,
    name: "TestApi",
    description: "API for the gateway tests",
    createdDate: new Date("2026-01-02T03:04:05Z"),
    stages: ["prod"],
    resources: [
      { id: "root0", path: "/", methods: { GET: proxyTo("echo", "GET") } },
      resource("users0", "root0", "users", "/users", { GET: proxyTo("echo", "GET"), POST: proxyTo("echo", "POST") }),
      resource("user01", "users0", "{userId}", "/users/{userId}", { GET: proxyTo("echo", "GET") }),
      resource("userme", "users0", "me", "/users/me", { GET: proxyTo("echo-me", "GET") }),
      resource("files0", "root0", "files", "/files", {}),
      resource("proxy0", "files0", "{proxy+}", "/files/{proxy+}", { ANY: proxyTo("echo", "ANY") }),
      resource("fail00", "root0", "fail", "/fail", { GET: proxyTo("fails", "GET") }),
      resource("crash0", "root0", "crash", "/crash", { GET: proxyTo("missing-function", "GET") }),
      resource("custom", "root0", "custom", "/custom", { GET: proxyTo("custom", "GET") }),
      resource("bad000", "root0", "malformed", "/malformed", { GET: proxyTo("malformed", "GET") }),
      resource("mock00", "root0", "mock", "/mock", { OPTIONS: withType("MOCK", "OPTIONS"), GET: withType("HTTP", "GET") }),
    ],
  };
}

/** Invocations the fake Lambda received, by function name. */
export interface Invocation {
  readonly functionName: string;
  readonly event: Record<string, unknown>;
}

/**
 * Our own LambdaInvoker: "echo" functions answer with the event they got as the
 * body; the others exercise the error paths and a hand-written response.
 */
export class EchoLambda implements LambdaInvoker {
  readonly invocations: Invocation[] = [];

  async invoke(functionName: string, payload: string): Promise<InvokeResult> {
    const event = JSON.parse(payload) as Record<string, unknown>;
    this.invocations.push({ functionName, event });
    const ok = (answer: unknown): InvokeResult => ({ statusCode: 200, payload: JSON.stringify(answer) });
    switch (functionName) {
      case "echo":
      case "echo-me":
        return ok({ statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(event) });
      case "fails":
        return { statusCode: 200, functionError: "Unhandled", payload: JSON.stringify({ errorType: "Error", errorMessage: "boom" }) };
      case "custom":
        return ok({
          statusCode: 418,
          headers: { "X-Teapot": "yes", "Content-Type": "image/png" },
          multiValueHeaders: { "Set-Cookie": ["a=1", "b=2"] },
          body: Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString("base64"),
          isBase64Encoded: true,
        });
      case "malformed":
        return ok({ statusCode: "two hundred", body: { not: "a string" } });
      default:
        throw new Error(`Function not found: ${functionName}`);
    }
  }
}

export function request(method: string, url: string, options: { headers?: Record<string, string | string[]>; body?: Buffer | string } = {}): HttpRequest {
  return {
    method,
    url,
    headers: { host: "localhost:4566", "user-agent": "test-agent/1.0", ...options.headers },
    body: options.body === undefined ? Buffer.alloc(0) : Buffer.from(options.body),
    sourceIp: "127.0.0.1",
  };
}

export function bodyText(body: Buffer | string | undefined): string {
  return body === undefined ? "" : Buffer.from(body).toString("utf8");
}

export function bodyJson(body: Buffer | string | undefined): Record<string, unknown> {
  return JSON.parse(bodyText(body)) as Record<string, unknown>;
}
