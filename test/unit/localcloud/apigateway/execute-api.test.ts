import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { after, before, describe, test } from "node:test";
import { ApiGatewayService } from "../../../../localcloud/apigateway/index.ts";
import { startHttpServer, type RunningHttpServer } from "../../../../localcloud/http-server.ts";
import { API_ID, bodyJson, EchoLambda, request, testApi, testContext } from "./fixtures.ts";

const PATH_FORM = `/_aws/execute-api/${API_ID}/prod`;
const HOST = `${API_ID}.execute-api.localhost.localstack.cloud:4566`;

function setup(): { gateway: ApiGatewayService; lambda: EchoLambda; logs: string[] } {
  const logs: string[] = [];
  const lambda = new EchoLambda();
  const gateway = new ApiGatewayService(testContext(logs), lambda);
  gateway.putRestApi(testApi());
  return { gateway, lambda, logs };
}

describe("execute-api: routing to the function", () => {
  test("the path form reaches the function with resource, path parameters and both query maps", async () => {
    const { gateway } = setup();
    const response = await gateway.handle(request("GET", `${PATH_FORM}/users/J%C3%BAlia%201?tag=a&tag=b&page=2`));
    assert.equal(response.statusCode, 200);
    const event = bodyJson(response.body);
    assert.equal(event.resource, "/users/{userId}");
    assert.equal(event.path, "/users/J%C3%BAlia%201");
    assert.equal(event.httpMethod, "GET");
    assert.deepEqual(event.pathParameters, { userId: "Júlia 1" });
    assert.deepEqual(event.queryStringParameters, { tag: "b", page: "2" });
    assert.deepEqual(event.multiValueQueryStringParameters, { tag: ["a", "b"], page: ["2"] });
    assert.equal(event.stageVariables, null);
    assert.equal(event.body, null);
    assert.equal(event.isBase64Encoded, false);
    const context = event.requestContext as Record<string, unknown>;
    assert.equal(context.apiId, API_ID);
    assert.equal(context.stage, "prod");
    assert.equal(context.accountId, "000000000000");
    assert.equal(context.resourceId, "user01");
    assert.equal(context.resourcePath, "/users/{userId}");
    assert.equal(context.path, "/prod/users/J%C3%BAlia%201");
    assert.equal(context.requestId, response.headers?.["x-amzn-RequestId"]);
    assert.equal(context.extendedRequestId, response.headers?.["x-amz-apigw-id"]);
    assert.equal(typeof context.requestTimeEpoch, "number");
    assert.match(String(context.requestTime), /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    const identity = context.identity as Record<string, unknown>;
    assert.equal(identity.sourceIp, "127.0.0.1");
    assert.equal(identity.userAgent, "test-agent/1.0");
  });

  test("the host form reaches the same function, with headers single and multi-valued", async () => {
    const { gateway } = setup();
    assert.equal(ApiGatewayService.isExecuteApiRequest(request("GET", "/prod/users", { headers: { host: HOST } })), true);
    const response = await gateway.handle(request("GET", "/prod/users/42/", { headers: { host: HOST, "x-trace": "t-1", "set-cookie": ["a=1", "b=2"] } }));
    assert.equal(response.statusCode, 200);
    const event = bodyJson(response.body);
    assert.equal(event.resource, "/users/{userId}");
    assert.deepEqual(event.pathParameters, { userId: "42" });
    assert.equal(event.queryStringParameters, null);
    assert.equal(event.multiValueQueryStringParameters, null);
    const headers = event.headers as Record<string, string>;
    assert.equal(headers["x-trace"], "t-1");
    assert.equal(headers["set-cookie"], "b=2");
    assert.equal(headers["x-forwarded-for"], "127.0.0.1");
    assert.equal(headers["x-forwarded-port"], "4566");
    assert.equal(headers["x-amzn-trace-id"], response.headers?.["X-Amzn-Trace-Id"]);
    assert.deepEqual((event.multiValueHeaders as Record<string, string[]>)["set-cookie"], ["a=1", "b=2"]);
    assert.equal((event.requestContext as Record<string, unknown>).domainName, `${API_ID}.execute-api.localhost.localstack.cloud`);
  });

  test("LocalStack's older _user_request_ form is served too", async () => {
    const { gateway } = setup();
    const event = bodyJson((await gateway.handle(request("GET", `/restapis/${API_ID}/prod/_user_request_/users/7`))).body);
    assert.deepEqual(event.pathParameters, { userId: "7" });
  });

  test("a literal part wins over a parameter, and the root resource has no path parameters", async () => {
    const { gateway, lambda } = setup();
    await gateway.handle(request("GET", `${PATH_FORM}/users/me`));
    assert.equal(lambda.invocations.at(-1)?.functionName, "echo-me");
    const root = bodyJson((await gateway.handle(request("GET", `${PATH_FORM}/`))).body);
    assert.equal(root.resource, "/");
    assert.equal(root.pathParameters, null);
    const bare = bodyJson((await gateway.handle(request("GET", PATH_FORM))).body);
    assert.equal(bare.resource, "/");
  });

  test("a greedy {proxy+} takes the rest of the path under any method", async () => {
    const { gateway } = setup();
    const event = bodyJson((await gateway.handle(request("DELETE", `${PATH_FORM}/files/reports/2026/jan%20report.pdf`))).body);
    assert.equal(event.resource, "/files/{proxy+}");
    assert.equal(event.httpMethod, "DELETE");
    assert.deepEqual(event.pathParameters, { proxy: "reports/2026/jan report.pdf" });
  });

  test("a POST with a JSON body arrives as text", async () => {
    const { gateway } = setup();
    const order = { ticker: "PETR4", quantity: 10 };
    const response = await gateway.handle(request("POST", `${PATH_FORM}/users`, { headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(order) }));
    const event = bodyJson(response.body);
    assert.equal(event.resource, "/users");
    assert.equal(event.httpMethod, "POST");
    assert.equal(event.isBase64Encoded, false);
    assert.deepEqual(JSON.parse(String(event.body)), order);
  });

  test("a binary body arrives base64-encoded", async () => {
    const { gateway } = setup();
    const bytes = Buffer.from([0x00, 0xff, 0x10, 0x80, 0x7f]);
    const response = await gateway.handle(request("PUT", `${PATH_FORM}/files/blob.bin`, { headers: { "content-type": "application/octet-stream" }, body: bytes }));
    const event = bodyJson(response.body);
    assert.equal(event.isBase64Encoded, true);
    assert.deepEqual(Buffer.from(String(event.body), "base64"), bytes);
  });
});

describe("execute-api: the function's answer", () => {
  test("statusCode, headers, multi-value headers and a base64 body come back decoded", async () => {
    const { gateway } = setup();
    const response = await gateway.handle(request("GET", `${PATH_FORM}/custom`));
    assert.equal(response.statusCode, 418);
    assert.equal(response.headers?.["X-Teapot"], "yes");
    assert.equal(response.headers?.["Content-Type"], "image/png");
    assert.deepEqual(response.headers?.["Set-Cookie"], ["a=1", "b=2"]);
    assert.deepEqual(Buffer.from(response.body ?? ""), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    assert.ok(response.headers?.["x-amzn-RequestId"]);
    assert.ok(response.headers?.["x-amz-apigw-id"]);
  });

  test("a function error becomes 502 with AWS's body", async () => {
    const { gateway, logs } = setup();
    const response = await gateway.handle(request("GET", `${PATH_FORM}/fail`));
    assert.equal(response.statusCode, 502);
    assert.deepEqual(bodyJson(response.body), { message: "Internal server error" });
    assert.ok(logs.some((line) => line.includes("function error")));
  });

  test("a malformed answer becomes 502, and a function that cannot be invoked 500", async () => {
    const { gateway } = setup();
    const malformed = await gateway.handle(request("GET", `${PATH_FORM}/malformed`));
    assert.equal(malformed.statusCode, 502);
    assert.deepEqual(bodyJson(malformed.body), { message: "Internal server error" });
    const crash = await gateway.handle(request("GET", `${PATH_FORM}/crash`));
    assert.equal(crash.statusCode, 500);
    assert.deepEqual(bodyJson(crash.body), { message: "Internal server error" });
  });

  test("a function slower than the integration timeout becomes 504", async () => {
    const never = { invoke: () => new Promise<never>(() => undefined) };
    const gateway = new ApiGatewayService(testContext(), never, { integrationTimeoutMs: 20 });
    gateway.putRestApi(testApi());
    const response = await gateway.handle(request("GET", `${PATH_FORM}/users`));
    assert.equal(response.statusCode, 504);
    assert.deepEqual(bodyJson(response.body), { message: "Endpoint request timed out" });
  });
});

describe("execute-api: what is not routed", () => {
  for (const [what, method, url] of [
    ["an unknown path", "GET", `${PATH_FORM}/nowhere`],
    ["a method the resource does not define", "DELETE", `${PATH_FORM}/users/1`],
    ["a resource without methods", "GET", `${PATH_FORM}/files`],
    ["an unknown stage", "GET", `/_aws/execute-api/${API_ID}/dev/users`],
  ] as const) {
    test(`${what} answers 403 Missing Authentication Token`, async () => {
      const { gateway, lambda } = setup();
      const response = await gateway.handle(request(method, url));
      assert.equal(response.statusCode, 403);
      assert.deepEqual(bodyJson(response.body), { message: "Missing Authentication Token" });
      assert.equal(response.headers?.["x-amzn-ErrorType"], "MissingAuthenticationTokenException");
      assert.equal(lambda.invocations.length, 0);
    });
  }

  test("an unknown API id answers 404", async () => {
    const { gateway } = setup();
    const response = await gateway.handle(request("GET", "/_aws/execute-api/nope123/prod/users"));
    assert.equal(response.statusCode, 404);
    assert.match(String(bodyJson(response.body).message), /nope123/);
  });

  test("a MOCK method whose template names no status code and an integration type not emulated both answer 500, each logged once", async () => {
    const { gateway, logs } = setup();
    for (let i = 0; i < 2; i++) {
      const mock = await gateway.handle(request("OPTIONS", `${PATH_FORM}/mock`));
      assert.equal(mock.statusCode, 500);
      assert.deepEqual(bodyJson(mock.body), { message: "Internal server error" });
    }
    const http = await gateway.handle(request("GET", `${PATH_FORM}/mock`));
    assert.equal(http.statusCode, 500);
    assert.deepEqual(bodyJson(http.body), { message: "Internal server error" });
    await gateway.handle(request("GET", `${PATH_FORM}/mock`));
    assert.equal(logs.filter((line) => line.includes("Unable to parse statusCode")).length, 1);
    assert.equal(logs.filter((line) => line.includes("HTTP integration is not emulated")).length, 1);
  });

  test("every request leaves one access line", async () => {
    const { gateway, logs } = setup();
    await gateway.handle(request("GET", `${PATH_FORM}/users?x=1`));
    await gateway.handle(request("GET", `${PATH_FORM}/nowhere`));
    const access = logs.filter((line) => /^apigateway: GET \S+ \d{3} \d+ms$/.test(line));
    assert.deepEqual(access.map((line) => line.replace(/ \d+ms$/, "")), [
      `apigateway: GET ${PATH_FORM}/users 200`,
      `apigateway: GET ${PATH_FORM}/nowhere 403`,
    ]);
  });

  test("putRestApi replaces an API with the same id", async () => {
    const { gateway } = setup();
    gateway.putRestApi({ ...testApi(), resources: testApi().resources.filter((resource) => resource.path !== "/users/{userId}") });
    assert.equal((await gateway.handle(request("GET", `${PATH_FORM}/users/1`))).statusCode, 403);
  });
});

describe("execute-api over a socket", () => {
  let server: RunningHttpServer;
  before(async () => {
    const { gateway } = setup();
    server = await startHttpServer((req) => gateway.handle(req), { host: "127.0.0.1", port: 0 });
  });
  after(() => server.close());

  function send(path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port: server.port, method: "POST", path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  test("the host form with any port carries a binary upload to the function and back", async () => {
    const bytes = Buffer.from([1, 2, 3, 250, 251]);
    const answer = await send("/prod/files/upload", { host: `${API_ID}.execute-api.localhost.localstack.cloud:${server.port}`, "content-type": "image/png" }, bytes);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers["content-type"], "application/json");
    const event = JSON.parse(answer.body.toString("utf8")) as Record<string, unknown>;
    assert.equal(event.resource, "/files/{proxy+}");
    assert.equal(event.isBase64Encoded, true);
    assert.deepEqual(Buffer.from(String(event.body), "base64"), bytes);
  });
});
