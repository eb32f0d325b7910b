import middy from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { corsHeaders, HttpError, httpErrors, jsonResponse } from "../../../functions/shared/http.ts";
import { apiEvent, lambdaContext } from "../../handlers/support/events.ts";

const fromApp = (handler: () => Promise<APIGatewayProxyResult>) => middy(handler).use(httpErrors());
const call = (handler: ReturnType<typeof fromApp>, origin?: string) =>
  handler(apiEvent({ resource: "/users/{userId}", headers: origin ? { Origin: origin } : {} }) as APIGatewayProxyEvent, lambdaContext());

describe("CORS on the functions' answers", () => {
  test("success, refusal and failure all carry the allow-origin header (any origin by default) and expose Location", async () => {
    const answers = await Promise.all([
      call(fromApp(async () => jsonResponse(202, { ok: true }, { location: "/orders/1" })), "https://app.example.com"),
      call(fromApp(async () => { throw new HttpError(404, "USER_NOT_FOUND", "No user 9."); })),
      call(fromApp(async () => { throw new Error("table gone"); })),
    ]);
    assert.deepEqual(answers.map((answer) => answer.statusCode), [202, 404, 500]);
    for (const answer of answers) {
      assert.equal(answer.headers?.["Access-Control-Allow-Origin"], "*");
      assert.equal(answer.headers?.["Access-Control-Expose-Headers"], "Location");
      assert.equal(answer.headers?.["content-type"], "application/json");
    }
    assert.equal(answers[0]?.headers?.location, "/orders/1");
  });

  test("with a list of origins, an allowed caller's origin is echoed and anyone else gets the first, with Vary", () => {
    const allowed = ["https://app.example.com", "https://admin.example.com"];
    assert.deepEqual(corsHeaders("https://admin.example.com", allowed), {
      "Access-Control-Allow-Origin": "https://admin.example.com",
      Vary: "Origin",
      "Access-Control-Expose-Headers": "Location",
    });
    assert.equal(corsHeaders("https://evil.example", allowed)["Access-Control-Allow-Origin"], "https://app.example.com");
    assert.equal(corsHeaders(undefined, allowed)["Access-Control-Allow-Origin"], "https://app.example.com");
  });
});
