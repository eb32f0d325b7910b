/**
 * The brokerage's own API, as synthesized, deployed into the local cloud's API
 * Gateway: a browser's preflight is answered by the MOCK integrations CDK writes
 * for CORS, while the proxied routes keep API Gateway's own checks.
 */
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BrokerageStack } from "../../../../lib/brokerage-stack.ts";
import { ApiGatewayService } from "../../../../localcloud/apigateway/index.ts";
import { ApiGatewayAssembler } from "../../../../localcloud/deployer/api-assembler.ts";
import type { TemplateResource } from "../../../../localcloud/deployer/cloud-assembly.ts";
import { dependencyOrder } from "../../../../localcloud/deployer/dependency-order.ts";
import { resolve } from "../../../../localcloud/deployer/intrinsics.ts";
import type { RestApiDefinition } from "../../../../localcloud/types.ts";
import { EchoLambda, request, testContext } from "./fixtures.ts";

/** The template's API resources through the deployer's assembler; every function is the fixtures' "echo". */
function deployedApi(context: Record<string, unknown> = {}): RestApiDefinition {
  const app = new App({ context: { "aws:cdk:bundling-stacks": [], ...context } });
  const resources = Template.fromStack(new BrokerageStack(app, "Brokerage")).toJSON().Resources as Record<string, TemplateResource>;
  const assembler = new ApiGatewayAssembler();
  const created = new Map<string, { ref: string; attributes: Record<string, string> }>();
  const scope = {
    ref: (id: string) => created.get(id)?.ref ?? (id.startsWith("AWS::") ? "us-east-1" : id),
    getAtt: (id: string, attribute: string) => created.get(id)?.attributes[attribute] ?? "arn:aws:lambda:us-east-1:000000000000:function:echo",
    condition: () => true,
  };
  for (const id of dependencyOrder(resources)) {
    const resource = resources[id];
    if (!resource) continue;
    const properties = resolve(resource.Properties ?? {}, scope) as Record<string, unknown>;
    switch (resource.Type) {
      case "AWS::ApiGateway::RestApi": created.set(id, assembler.addRestApi(id, properties, "Brokerage")); break;
      case "AWS::ApiGateway::Resource": created.set(id, assembler.addResource(id, properties)); break;
      case "AWS::ApiGateway::Method": created.set(id, assembler.addMethod(id, properties)); break;
      case "AWS::ApiGateway::Deployment": created.set(id, assembler.addDeployment(id, properties)); break;
      case "AWS::ApiGateway::Stage": created.set(id, assembler.addStage(properties)); break;
    }
  }
  const [definition] = assembler.definitions(new Date());
  assert.ok(definition);
  return definition;
}

function gatewayFor(definition: RestApiDefinition): { gateway: ApiGatewayService; lambda: EchoLambda; logs: string[] } {
  const logs: string[] = [];
  const lambda = new EchoLambda();
  const gateway = new ApiGatewayService(testContext(logs), lambda);
  gateway.putRestApi(definition);
  return { gateway, lambda, logs };
}

const preflight = (url: string, origin: string) =>
  request("OPTIONS", url, { headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type,idempotency-key" } });

describe("CORS preflight on the local cloud", () => {
  const definition = deployedApi();
  const base = `/_aws/execute-api/${definition.id}/prod`;

  test("OPTIONS on every route answers 204 with the headers a browser checks, without invoking a function", async () => {
    const { gateway, lambda, logs } = gatewayFor(definition);
    for (const path of ["/orders", "/orders/o-1", "/users/1", "/users/1/transactions", "/quotes/PETR4", "/"]) {
      const response = await gateway.handle(preflight(`${base}${path}`, "https://app.example.com"));
      assert.equal(response.statusCode, 204, path);
      assert.equal(response.headers?.["Access-Control-Allow-Origin"], "*", path);
      assert.equal(response.headers?.["Access-Control-Allow-Methods"], "GET,POST,OPTIONS");
      assert.match(String(response.headers?.["Access-Control-Allow-Headers"]), /Content-Type.*Idempotency-Key/);
      assert.equal(response.headers?.["Access-Control-Max-Age"], "600");
      assert.equal(String(response.body ?? ""), "");
    }
    assert.equal(lambda.invocations.length, 0);
    assert.deepEqual(logs.filter((line) => line.includes("not emulated") || line.includes("configuration error")), []);
  });

  test("a configured origin is the one the preflight names", async () => {
    const custom = deployedApi({ corsAllowOrigins: "https://app.example.com" });
    const { gateway } = gatewayFor(custom);
    const response = await gateway.handle(preflight(`/_aws/execute-api/${custom.id}/prod/orders`, "https://app.example.com"));
    assert.equal(response.statusCode, 204);
    assert.equal(response.headers?.["Access-Control-Allow-Origin"], "https://app.example.com");
    assert.equal(response.headers?.Vary, "Origin");
  });

  test("the other methods keep their API key check (the preflight alone has none), and an undefined one is still refused", async () => {
    const { gateway, lambda } = gatewayFor(definition);
    const keyless = await gateway.handle(request("GET", `${base}/users/1`));
    assert.deepEqual([keyless.statusCode, JSON.parse(String(keyless.body))], [403, { message: "Forbidden" }]);
    assert.equal(lambda.invocations.length, 0);
    const undefinedMethod = await gateway.handle(request("DELETE", `${base}/users/1`));
    assert.deepEqual([undefinedMethod.statusCode, JSON.parse(String(undefinedMethod.body))], [403, { message: "Missing Authentication Token" }]);
  });
});
