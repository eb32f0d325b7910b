import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runMockIntegration } from "../../../../localcloud/apigateway/mock-integration.ts";
import type { ApiIntegrationResponse, ApiMethod } from "../../../../localcloud/types.ts";
import { request } from "./fixtures.ts";

type Integration = NonNullable<ApiMethod["integration"]>;

function run(integration: Integration, options: { headers?: Record<string, string>; url?: string } = {}) {
  const warnings: string[] = [];
  const response = runMockIntegration({
    integration,
    request: request("OPTIONS", options.url ?? "/_aws/execute-api/a/prod/things/t-1?mode=x", { headers: options.headers }),
    match: { resource: { id: "r", path: "/things/{thingId}", methods: {} }, pathParameters: { thingId: "t-1" } },
    query: new URLSearchParams((options.url ?? "?mode=x").split("?")[1] ?? ""),
    warn: (line) => warnings.push(line),
  });
  return { response, warnings };
}

const mock = (requestTemplate: string | undefined, integrationResponses: ApiIntegrationResponse[]): Integration => ({
  type: "MOCK",
  ...(requestTemplate === undefined ? {} : { requestTemplates: { "application/json": requestTemplate } }),
  integrationResponses,
});

describe("MOCK integration", () => {
  test("the request template's status code selects the response whose pattern matches, else the default", () => {
    const responses: ApiIntegrationResponse[] = [
      { statusCode: "200" },
      { statusCode: "404", selectionPattern: "4\\d\\d" },
      { statusCode: "503", selectionPattern: "5.." },
    ];
    assert.equal(run(mock('{"statusCode": 404}', responses)).response.statusCode, 404);
    assert.equal(run(mock("{ statusCode: 500 }", responses)).response.statusCode, 503);
    assert.equal(run(mock("{ 'statusCode': 201, 'note': 'x' }", responses)).response.statusCode, 200);
  });

  test("headers from literals and from the method request; a plain response template is the body", () => {
    const { response, warnings } = run(
      mock("{ statusCode: 200 }", [
        {
          statusCode: "200",
          responseParameters: {
            "method.response.header.X-Static": "'fixed'",
            "method.response.header.X-Echo-Origin": "method.request.header.Origin",
            "method.response.header.X-Mode": "method.request.querystring.mode",
            "method.response.header.X-Thing": "method.request.path.thingId",
            "method.response.header.X-Later": "context.requestId",
          },
          responseTemplates: { "application/json": '{"ok":true}' },
        },
      ]),
      { headers: { origin: "https://app.example.com" } },
    );
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.headers, {
      "content-type": "application/json",
      "X-Static": "fixed",
      "X-Echo-Origin": "https://app.example.com",
      "X-Mode": "x",
      "X-Thing": "t-1",
    });
    assert.equal(response.body, '{"ok":true}');
    assert.deepEqual(warnings, ["response parameter method.response.header.X-Later = context.requestId is not emulated for MOCK; left out"]);
  });

  test("a Velocity response template is not evaluated: empty body, and said so", () => {
    const { response, warnings } = run(mock("{ statusCode: 204 }", [{ statusCode: "204", responseTemplates: { "application/json": '#set($origin = $input.params().header.get("Origin"))' } }]));
    assert.equal(response.statusCode, 204);
    assert.equal(response.body, "");
    assert.match(warnings.join("\n"), /Velocity, which is not evaluated/);
  });

  test("no status code in the template, or no response for it, is API Gateway's configuration error: 500", () => {
    const noTemplate = run(mock(undefined, [{ statusCode: "200" }]));
    assert.equal(noTemplate.response.statusCode, 500);
    assert.match(noTemplate.warnings.join(), /Unable to parse statusCode/);
    const noDefault = run(mock("{ statusCode: 200 }", [{ statusCode: "404", selectionPattern: "404" }]));
    assert.equal(noDefault.response.statusCode, 500);
    assert.match(noDefault.warnings.join(), /no integration response matches 200 and there is no default/);
  });
});
