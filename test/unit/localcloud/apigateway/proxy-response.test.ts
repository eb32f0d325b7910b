import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MalformedProxyResponseError, toHttpResponse } from "../../../../localcloud/apigateway/proxy-response.ts";

const answer = (value: unknown) => ({ statusCode: 200, payload: JSON.stringify(value) });

describe("toHttpResponse", () => {
  test("a multi-value header replaces a single one of the same name, whatever its case", () => {
    const response = toHttpResponse(answer({ statusCode: 201, headers: { "x-a": "1", "X-B": "2" }, multiValueHeaders: { "X-A": ["3", "4"] }, body: "ok" }));
    assert.equal(response.statusCode, 201);
    assert.deepEqual(response.headers, { "X-A": ["3", "4"], "X-B": "2", "Content-Type": "application/json" });
    assert.equal(response.body, "ok");
  });

  test("a missing body is empty and framing headers from the function are dropped", () => {
    const response = toHttpResponse(answer({ statusCode: 204, headers: { "Content-Length": "99", "content-type": "text/plain" } }));
    assert.deepEqual(response.headers, { "content-type": "text/plain" });
    assert.equal(response.body, "");
  });

  for (const [what, value] of [
    ["not JSON", undefined],
    ["not an object", "hello"],
    ["no statusCode", { body: "x" }],
    ["a string statusCode", { statusCode: "200" }],
    ["a non-string body", { statusCode: 200, body: { a: 1 } }],
    ["headers that are not an object", { statusCode: 200, headers: "x" }],
  ] as const) {
    test(`an answer with ${what} is malformed`, () => {
      const result = value === undefined ? { statusCode: 200, payload: "{oops" } : answer(value);
      assert.throws(() => toHttpResponse(result), MalformedProxyResponseError);
    });
  }
});
