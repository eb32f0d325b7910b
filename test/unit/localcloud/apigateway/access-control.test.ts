/**
 * API keys, usage plans and Lambda authorizers on a running local cloud, deployed
 * from a hand-written template: each refusal with API Gateway's exact status and
 * body, and that a refused request never reaches the business function.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { APIGatewayClient, GetApiKeyCommand } from "@aws-sdk/client-api-gateway";
import { startLocalCloud, type LocalCloud } from "../../../../localcloud/cloud.ts";
import { writeAccessAssembly } from "./access-stack.ts";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };

describe("API Gateway access control on the local cloud", () => {
  let cloud: LocalCloud;
  let assembly: string;
  let base: string;
  let demoKey: string;
  const logs: { source: string; line: string }[] = [];

  /** How many times a function has started an invocation so far. */
  const invocations = (source: string): number => logs.filter((entry) => entry.source === source && entry.line.startsWith("START ")).length;
  const call = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, { headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown>, errorType: response.headers.get("x-amzn-errortype") };
  };
  const withKey = (token?: string): Record<string, string> => ({ "x-api-key": demoKey, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) });

  before(async () => {
    cloud = await startLocalCloud({ port: 0, dataDir: "", inMemory: true, log: (source, line) => logs.push({ source, line }) });
    assembly = writeAccessAssembly();
    const [stack] = await cloud.deploy(assembly);
    const outputs = stack?.outputs ?? {};
    base = `${cloud.endpoint}/_aws/execute-api/${outputs.ApiId}/prod`;
    const client = new APIGatewayClient({ endpoint: cloud.endpoint, region: "us-east-1", credentials });
    demoKey = (await client.send(new GetApiKeyCommand({ apiKey: outputs.DemoKeyId, includeValue: true }))).value ?? "";
    client.destroy();
  });

  after(async () => {
    await cloud.stop();
    rmSync(assembly, { recursive: true, force: true });
  });

  describe("API keys", () => {
    test("a missing, unknown, disabled or plan-less key is 403 Forbidden, before the authorizer and the function run", async () => {
      const before = { business: invocations("business"), authorizer: invocations("token-authorizer-fn") };
      for (const key of [undefined, "no-such-key-0123456789abcdef", "disabled-key-0123456789ab", "orphan-key-0123456789abcd"]) {
        const response = await call("/thing1", { ...(key === undefined ? {} : { "x-api-key": key }), authorization: "Bearer allow-1" });
        assert.equal(response.status, 403, String(key));
        assert.deepEqual(response.body, { message: "Forbidden" });
        assert.equal(response.errorType, "ForbiddenException");
      }
      assert.deepEqual({ business: invocations("business"), authorizer: invocations("token-authorizer-fn") }, before);
    });

    test("a generated key is 40 characters and lets the request through, naming the key in the event", async () => {
      assert.match(demoKey, /^[A-Za-z0-9]{40}$/);
      const response = await call("/thing1", withKey("allow-key"));
      assert.equal(response.status, 200);
      const identity = response.body.identity as Record<string, unknown>;
      assert.equal(identity.apiKey, demoKey);
      assert.match(String(identity.apiKeyId), /^[a-z0-9]{10}$/);
    });

    test("a method without ApiKeyRequired needs no key", async () => {
      assert.equal((await call("/open")).status, 200);
    });

    test("a burst over the token bucket is 429 Too Many Requests, and requests pass again after the refill", async () => {
      const started = invocations("business");
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) statuses.push((await call("/limited", { "x-api-key": "burst-key-0123456789abcdef" })).status);
      // Capacity 3; at 2 per second at most one more token can have come back while these ran.
      const passed = statuses.filter((status) => status === 200).length;
      assert.ok(passed >= 3 && passed <= 4, `passed ${passed}: ${statuses.join(",")}`);
      assert.ok(statuses.includes(429));
      const refused = await call("/limited", { "x-api-key": "burst-key-0123456789abcdef" });
      if (refused.status === 429) {
        assert.deepEqual(refused.body, { message: "Too Many Requests" });
        assert.equal(refused.errorType, "TooManyRequestsException");
      }
      assert.equal(invocations("business") - started, passed + (refused.status === 200 ? 1 : 0));
      await new Promise((resolve) => setTimeout(resolve, 1_600)); // 2 tokens per second refill at least one
      assert.equal((await call("/limited", { "x-api-key": "burst-key-0123456789abcdef" })).status, 200);
    });

    test("past the quota for the period the answer is 429 Limit Exceeded, and the function is not called", async () => {
      for (let i = 0; i < 3; i += 1) assert.equal((await call("/limited", { "x-api-key": "quota-key-0123456789abcdef" })).status, 200);
      const started = invocations("business");
      const over = await call("/limited", { "x-api-key": "quota-key-0123456789abcdef" });
      assert.equal(over.status, 429);
      assert.deepEqual(over.body, { message: "Limit Exceeded" });
      assert.equal(over.errorType, "LimitExceededException");
      assert.equal(invocations("business"), started);
    });
  });

  describe("TOKEN authorizer", () => {
    test("no token, or one the validation expression refuses, is 401 without calling the authorizer", async () => {
      const before = { business: invocations("business"), authorizer: invocations("token-authorizer-fn") };
      const attempts: Record<string, string>[] = [{ "x-api-key": demoKey }, { "x-api-key": demoKey, authorization: "Basic abc" }, { "x-api-key": demoKey, authorization: "Bearer a b" }];
      for (const headers of attempts) {
        const response = await call("/thing1", headers);
        assert.equal(response.status, 401);
        assert.deepEqual(response.body, { message: "Unauthorized" });
        assert.equal(response.errorType, "UnauthorizedException");
      }
      assert.deepEqual({ business: invocations("business"), authorizer: invocations("token-authorizer-fn") }, before);
    });

    test("the authorizer throwing Unauthorized is 401; another error or a malformed answer is 500 {message: null}", async () => {
      const started = invocations("business");
      const unauthorized = await call("/thing1", withKey("unauthorized"));
      assert.equal(unauthorized.status, 401);
      assert.deepEqual(unauthorized.body, { message: "Unauthorized" });
      for (const token of ["crash", "malformed", "nested"]) {
        const response = await call("/thing1", withKey(token));
        assert.equal(response.status, 500, token);
        assert.deepEqual(response.body, { message: null }, token);
        assert.equal(response.errorType, "AuthorizerConfigurationException", token);
      }
      assert.equal(invocations("business"), started);
    });

    test("an explicit Deny wins over an Allow (403 with an explicit deny); a policy for other methods is an implicit deny", async () => {
      const started = invocations("business");
      const denied = await call("/thing1", withKey("deny"));
      assert.equal(denied.status, 403);
      assert.deepEqual(denied.body, { Message: "User is not authorized to access this resource with an explicit deny" });
      assert.equal(denied.errorType, "AccessDeniedException");
      const elsewhere = await call("/thing1", withKey("elsewhere"));
      assert.equal(elsewhere.status, 403);
      assert.deepEqual(elsewhere.body, { Message: "User is not authorized to access this resource" });
      assert.equal(invocations("business"), started);
    });

    test("principalId and the context (as strings) reach requestContext.authorizer", async () => {
      const response = await call("/thing1", withKey("allow-ana"));
      assert.equal(response.status, 200);
      const authorizer = response.body.authorizer as Record<string, unknown>;
      assert.equal(authorizer.principalId, "user-ana");
      assert.equal(authorizer.userId, "ana");
      assert.equal(authorizer.level, "3");
      assert.equal(authorizer.admin, "false");
      assert.equal(authorizer.type, "TOKEN");
      assert.equal(typeof authorizer.integrationLatency, "number");
    });

    test("within the TTL the cached result serves the same token on any method, without calling the authorizer again", async () => {
      const first = invocations("token-authorizer-fn");
      assert.equal((await call("/thing1", withKey("allow-cached"))).status, 200);
      assert.equal(invocations("token-authorizer-fn"), first + 1);
      assert.equal((await call("/thing1", withKey("allow-cached"))).status, 200);
      const second = await call("/thing2", withKey("allow-cached"));
      assert.equal(second.status, 200);
      assert.equal((second.body.authorizer as Record<string, unknown>).userId, "cached");
      assert.equal(invocations("token-authorizer-fn"), first + 1);
      assert.equal((await call("/thing1", withKey("allow-other"))).status, 200);
      assert.equal(invocations("token-authorizer-fn"), first + 2);
    });
  });

  describe("REQUEST authorizer", () => {
    test("a missing identity source is 401 without calling it", async () => {
      const started = invocations("request-authorizer-fn");
      const response = await call("/req", { "x-user": "bob" });
      assert.equal(response.status, 401);
      assert.deepEqual(response.body, { message: "Unauthorized" });
      assert.equal(invocations("request-authorizer-fn"), started);
    });

    test("it gets the request's headers, query and resource, and with TTL 0 it runs on every request", async () => {
      const started = invocations("request-authorizer-fn");
      const response = await call("/req?tenant=acme", { "x-user": "bob" });
      assert.equal(response.status, 200);
      const authorizer = response.body.authorizer as Record<string, unknown>;
      assert.deepEqual(
        { principalId: authorizer.principalId, type: authorizer.type, tenant: authorizer.tenant, resource: authorizer.resource, path: authorizer.path },
        { principalId: "bob", type: "REQUEST", tenant: "acme", resource: "/req", path: "/req" },
      );
      await call("/req?tenant=acme", { "x-user": "bob" });
      assert.equal(invocations("request-authorizer-fn"), started + 2);
    });
  });
});
