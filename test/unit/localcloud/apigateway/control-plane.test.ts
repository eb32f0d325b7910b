import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  APIGatewayClient,
  CreateRestApiCommand,
  GetResourceCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStageCommand,
  GetStagesCommand,
  NotFoundException,
} from "@aws-sdk/client-api-gateway";
import { ApiGatewayService } from "../../../../localcloud/apigateway/index.ts";
import { startHttpServer, type RunningHttpServer } from "../../../../localcloud/http-server.ts";
import { API_ID, bodyJson, EchoLambda, request, testApi, testContext } from "./fixtures.ts";

describe("control plane through @aws-sdk/client-api-gateway", () => {
  let server: RunningHttpServer;
  let client: APIGatewayClient;

  before(async () => {
    const gateway = new ApiGatewayService(testContext(), new EchoLambda());
    gateway.putRestApi(testApi());
    server = await startHttpServer((req) => gateway.handle(req), { host: "127.0.0.1", port: 0 });
    client = new APIGatewayClient({ endpoint: server.url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  });
  after(async () => {
    client.destroy();
    await server.close();
  });

  test("GetRestApis lists the API with its name, dates and endpoint type", async () => {
    const { items } = await client.send(new GetRestApisCommand({}));
    assert.equal(items?.length, 1);
    const api = items?.[0];
    assert.equal(api?.id, API_ID);
    assert.equal(api?.name, "TestApi");
    assert.equal(api?.description, "API for the gateway tests");
    assert.deepEqual(api?.createdDate, new Date("2026-01-02T03:04:05Z"));
    assert.equal(api?.apiKeySource, "HEADER");
    assert.deepEqual(api?.endpointConfiguration?.types, ["EDGE"]);
  });

  test("GetRestApi returns one API, with its root resource id", async () => {
    const api = await client.send(new GetRestApiCommand({ restApiId: API_ID }));
    assert.equal(api.name, "TestApi");
    assert.equal(api.rootResourceId, "root0");
  });

  test("an unknown API id is a NotFoundException", async () => {
    await assert.rejects(client.send(new GetRestApiCommand({ restApiId: "nope123" })), (error: unknown) => {
      assert.ok(error instanceof NotFoundException);
      assert.match(error.message, /^Invalid API identifier specified 000000000000:nope123/);
      assert.equal(error.$metadata.httpStatusCode, 404);
      return true;
    });
  });

  test("GetResources lists the tree with methods as bare keys", async () => {
    const { items = [] } = await client.send(new GetResourcesCommand({ restApiId: API_ID }));
    assert.equal(items.length, testApi().resources.length);
    const user = items.find((item) => item.path === "/users/{userId}");
    assert.deepEqual(user, { id: "user01", parentId: "users0", pathPart: "{userId}", path: "/users/{userId}", resourceMethods: { GET: {} } });
    const root = items.find((item) => item.path === "/");
    assert.equal(root?.parentId, undefined);
    assert.equal(root?.pathPart, undefined);
    assert.equal(items.find((item) => item.path === "/files")?.resourceMethods, undefined);
  });

  test("GetResources with embed=methods includes each method's integration", async () => {
    const { items = [] } = await client.send(new GetResourcesCommand({ restApiId: API_ID, embed: ["methods"] }));
    const method = items.find((item) => item.path === "/users")?.resourceMethods?.POST;
    assert.equal(method?.httpMethod, "POST");
    assert.equal(method?.authorizationType, "NONE");
    assert.equal(method?.apiKeyRequired, false);
    assert.equal(method?.methodIntegration?.type, "AWS_PROXY");
    assert.match(method?.methodIntegration?.uri ?? "", /function:echo\/invocations$/);
  });

  test("GetResource finds one resource, and an unknown one is a NotFoundException", async () => {
    const resource = await client.send(new GetResourceCommand({ restApiId: API_ID, resourceId: "proxy0" }));
    assert.equal(resource.path, "/files/{proxy+}");
    await assert.rejects(client.send(new GetResourceCommand({ restApiId: API_ID, resourceId: "zzz" })), NotFoundException);
  });

  test("GetStages and GetStage describe the deployed stage", async () => {
    const { item = [] } = await client.send(new GetStagesCommand({ restApiId: API_ID }));
    assert.deepEqual(item.map((stage) => stage.stageName), ["prod"]);
    assert.match(item[0]?.deploymentId ?? "", /^[a-z0-9]+$/);
    assert.deepEqual(item[0]?.createdDate, new Date("2026-01-02T03:04:05Z"));
    const stage = await client.send(new GetStageCommand({ restApiId: API_ID, stageName: "prod" }));
    assert.equal(stage.deploymentId, item[0]?.deploymentId);
    await assert.rejects(client.send(new GetStageCommand({ restApiId: API_ID, stageName: "dev" })), NotFoundException);
  });

  test("changes are refused with a hint, since APIs come from the template", async () => {
    await assert.rejects(client.send(new CreateRestApiCommand({ name: "other" })), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.equal(error.name, "BadRequestException");
      assert.match(error.message, /read-only/);
      return true;
    });
  });
});

test("control plane answers carry AWS's error header and JSON body", async () => {
  const gateway = new ApiGatewayService(testContext(), new EchoLambda());
  const response = await gateway.handle(request("GET", "/restapis/nope123/resources"));
  assert.equal(response.statusCode, 404);
  assert.equal(response.headers?.["x-amzn-ErrorType"], "NotFoundException");
  assert.deepEqual(bodyJson(response.body), { message: "Invalid API identifier specified 000000000000:nope123" });
  const empty = await gateway.handle(request("GET", "/restapis"));
  assert.deepEqual(bodyJson(empty.body), { item: [] });
});
