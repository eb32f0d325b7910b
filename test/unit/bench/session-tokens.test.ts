import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Post, PostOutcome } from "../../../bench/http-post.ts";
import { authHeaders, authorizedPost, SignInError, sessionTokens } from "../../../bench/session-tokens.ts";

/** A sign-in endpoint that answers from a script and records what it was sent. */
function fakeSessions(answers: (call: number, userId: string) => PostOutcome) {
  const calls: { url: string; body: { userId: string; password: string }; headers: Readonly<Record<string, string>> }[] = [];
  const post: Post = async (url, body, headers = {}) => {
    const sent = body as { userId: string; password: string };
    const call = calls.push({ url, body: sent, headers });
    await new Promise((done) => setImmediate(done));
    return answers(call, sent.userId);
  };
  return { post, calls };
}
const issued = (token: string): PostOutcome => ({ kind: "status", status: 201, body: JSON.stringify({ accessToken: token, tokenType: "Bearer", expiresIn: 900 }) });
const options = (post: Post) => ({ sessionsUrl: "http://api/sessions", apiKey: "k".repeat(40), password: "load-secret", post });

describe("load-test session tokens", () => {
  test("a user signs in once, with the API key, however many requests ask at the same time", async () => {
    const sessions = fakeSessions((call, userId) => issued(`${userId}-token-${call}`));
    const tokens = sessionTokens(options(sessions.post));
    const got = await Promise.all([tokens.token("u1"), tokens.token("u1"), tokens.token("u2"), tokens.token("u1")]);
    assert.deepEqual(got, ["u1-token-1", "u1-token-1", "u2-token-2", "u1-token-1"]);
    assert.equal(tokens.signIns, 2);
    assert.deepEqual(sessions.calls[0], { url: "http://api/sessions", body: { userId: "u1", password: "load-secret" }, headers: { "x-api-key": "k".repeat(40) } });
  });

  test("after a 401 the user signs in again once, and requests that saw the old token get the new one", async () => {
    const sessions = fakeSessions((call) => issued(`token-${call}`));
    const tokens = sessionTokens(options(sessions.post));
    const stale = await tokens.token("u1");
    const renewed = await Promise.all([tokens.renew("u1", stale), tokens.renew("u1", stale), tokens.renew("u1", stale)]);
    assert.deepEqual(renewed, ["token-2", "token-2", "token-2"]);
    assert.equal(await tokens.token("u1"), "token-2");
    assert.equal(tokens.signIns, 2);
  });

  test("a failed sign-in is tried again on the next request; only a refusal is final", async () => {
    const answers: PostOutcome[] = [{ kind: "error", code: "ECONNREFUSED" }, { kind: "status", status: 404, body: "" }, issued("late"), { kind: "status", status: 401, body: '{"error":{"code":"INVALID_CREDENTIALS"}}' }];
    const sessions = fakeSessions((call) => answers[call - 1] ?? issued("never"));
    const tokens = sessionTokens(options(sessions.post));
    await assert.rejects(tokens.token("u1"), (error: unknown) => error instanceof SignInError && error.retryable && error.status === 0);
    await assert.rejects(tokens.token("u1"), (error: unknown) => error instanceof SignInError && error.retryable && error.status === 404);
    assert.equal(await tokens.token("u1"), "late");
    await assert.rejects(tokens.renew("u1", "late"), (error: unknown) => error instanceof SignInError && !error.retryable && error.status === 401);
    assert.equal(tokens.signIns, 4);
  });

  test("calls carry the bearer token and the API key", () => {
    assert.deepEqual(authHeaders("key-1", "abc.def.ghi"), { "x-api-key": "key-1", authorization: "Bearer abc.def.ghi" });
  });

  test("an order answered 401 is sent once more with a fresh token; a failed sign-in is an error outcome", async () => {
    const sessions = fakeSessions((call) => (call <= 2 ? issued(`token-${call}`) : { kind: "error", code: "ECONNREFUSED" }));
    const tokens = sessionTokens(options(sessions.post));
    const sent: string[] = [];
    const api: Post = async (_url, _body, headers = {}) => {
      sent.push(headers.authorization ?? "none");
      return headers.authorization === "Bearer token-1" ? { kind: "status", status: 401, body: '{"message":"Unauthorized"}' } : { kind: "status", status: 202, body: "{}" };
    };
    const place = authorizedPost(tokens, "key", api);
    assert.deepEqual(await place("http://api/orders", "u1", {}), { kind: "status", status: 202, body: "{}" });
    assert.deepEqual(sent, ["Bearer token-1", "Bearer token-2"]);
    assert.deepEqual(await place("http://api/orders", "u2", {}), { kind: "error", code: "SIGN_IN_FAILED 0" });
    assert.equal(sent.length, 2);
  });
});
