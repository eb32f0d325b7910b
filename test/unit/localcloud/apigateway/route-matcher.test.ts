import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { methodFor, RouteMatcher } from "../../../../localcloud/apigateway/route-matcher.ts";
import type { ApiResource, RestApiDefinition } from "../../../../localcloud/types.ts";

const get = { GET: { httpMethod: "GET", authorizationType: "NONE", apiKeyRequired: false } };

function api(paths: string[]): RestApiDefinition {
  const resources: ApiResource[] = [{ id: "/", path: "/", methods: get }];
  for (const path of paths) {
    const parts = path.split("/").filter(Boolean);
    const parent = parts.length === 1 ? "/" : `/${parts.slice(0, -1).join("/")}`;
    resources.push({ id: path, parentId: parent, pathPart: parts.at(-1), path, methods: get });
  }
  return { id: "api", name: "api", createdDate: new Date(0), stages: ["prod"], resources };
}

describe("RouteMatcher", () => {
  const matcher = new RouteMatcher(api(["/a", "/a/{id}", "/a/{id}/c", "/a/b", "/{proxy+}", "/x", "/x/{rest+}"]));

  for (const [path, resource, params] of [
    ["/", "/", {}],
    ["/a/b", "/a/b", {}],
    ["/a/b/", "/a/b", {}],
    ["/a/7", "/a/{id}", { id: "7" }],
    // "/a/b" is literal but has no child "c", so the parameter branch answers
    ["/a/b/c", "/a/{id}/c", { id: "b" }],
    ["/a/7/d", "/{proxy+}", { proxy: "a/7/d" }],
    ["/zzz/y", "/{proxy+}", { proxy: "zzz/y" }],
    ["/x/1/2", "/x/{rest+}", { rest: "1/2" }],
  ] as const) {
    test(`${path} → ${resource}`, () => {
      const match = matcher.match(path);
      assert.equal(match?.resource.path, resource);
      assert.deepEqual(match?.pathParameters, params);
    });
  }

  test("without a greedy resource an unknown path has no match", () => {
    assert.equal(new RouteMatcher(api(["/a"])).match("/b"), undefined);
  });

  test("a method is found by its verb, then by ANY", () => {
    const resource: ApiResource = { id: "r", path: "/", methods: { ...get, ANY: { httpMethod: "ANY", authorizationType: "NONE", apiKeyRequired: false } } };
    assert.equal(methodFor(resource, "get")?.httpMethod, "GET");
    assert.equal(methodFor(resource, "PATCH")?.httpMethod, "ANY");
    assert.equal(methodFor({ ...resource, methods: get }, "PATCH"), undefined);
  });
});
