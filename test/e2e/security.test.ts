import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { GetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, test } from "node:test";
import { orderKey } from "../../adapters/keys.ts";
import { USAGE_PLANS } from "../../lib/api/brokerage-api.ts";
import { documentClientFromEnv, sqsClientFromEnv } from "../../ops/environment.ts";
import type { ApiClient } from "./support/api-client.ts";
import { algNone, otherAlgorithm, signedToken, tamperedPayload, tamperedSignature } from "./support/forged-tokens.ts";
import { readState, settledState, stateDifference, type StateSources, type SystemState } from "./support/system-state.ts";
import { startTarget, targetName, waitFor, type E2eTarget } from "./support/target.ts";

interface Route {
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly body?: string;
}

/** One raw request; the suite decides every header itself. */
async function call(apiUrl: string, route: Route, headers: Record<string, string>): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(`${apiUrl}${route.path}`, {
    method: route.method,
    headers: { ...(route.body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(route.body === undefined ? {} : { body: route.body }),
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

const UNAUTHORIZED = '{"message":"Unauthorized"}';
const FORBIDDEN = '{"message":"Forbidden"}';

/** Who may call what: tokens, API keys, per-user access, rate limits and sign-in guessing, against the running API. */
describe(`security on ${targetName}`, () => {
  let target: E2eTarget;
  let api: ApiClient;
  let apiUrl: string;
  let dynamo: DynamoDBDocumentClient;
  let sqs: SQSClient;
  let sources: StateSources;
  let baseline: SystemState;
  let signingKey: Uint8Array;
  /** User 1's own order, which nobody else may see. */
  let orderOfUser1: string;
  let routes: Route[];

  const order = (userId?: string) => JSON.stringify({ ...(userId ? { userId } : {}), ticker: "PETR4", quantity: 1, side: "BUY" });
  const signedIn = async (userId: string) => api.headers(userId);

  before(async () => {
    target = await startTarget();
    const outputs = target.outputs.Brokerage ?? {};
    // Refusals come by the hundred here: the load-test key, so the clients' throttle stays out of the way.
    api = target.client("loadTest");
    apiUrl = api.apiUrl;
    dynamo = documentClientFromEnv(target.awsEnv);
    sqs = sqsClientFromEnv(target.awsEnv);
    for (const userId of ["1", "2", "3"]) await api.token(userId);
    // The burst's user signs in with the demo key now: later, guessing locks user 3's sign-in.
    await target.client("demo").token("3");

    const placed = await api.post<{ orderId: string }>("1", "orders", JSON.parse(order()));
    assert.equal(placed.status, 202);
    orderOfUser1 = placed.body.orderId;
    // Settled means notified: consolidation is invoked, not queued, so empty queues alone do not show it is done.
    await waitFor("user 1's order to be filled and its notifications queued", async () => {
      const { Item } = await dynamo.send(new GetCommand({ TableName: outputs.TransactionsTableName, Key: orderKey(orderOfUser1), ConsistentRead: true }));
      return Item?.notifiedAt ? true : undefined;
    });
    routes = [
      { method: "POST", path: "orders", body: order() },
      { method: "GET", path: `orders/${orderOfUser1}` },
      { method: "GET", path: "users/1" },
      { method: "GET", path: "users/1/transactions" },
      { method: "GET", path: `orders/${orderOfUser1}/events` },
      { method: "GET", path: `users/1/statements/${new Date().toISOString().slice(0, 10)}` },
      { method: "GET", path: "quotes/PETR4" },
    ];

    const secrets = new SecretsManagerClient({ endpoint: target.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: outputs.SigningSecretArn }));
    secrets.destroy();
    assert.ok(SecretString, "the signing secret has a value");
    signingKey = new TextEncoder().encode(SecretString);

    const queueKeys = ["OrdersQueueUrl", "OrdersDeadLetterQueueUrl", "PushQueueUrl", "PushDeadLetterQueueUrl", "EmailQueueUrl", "EmailDeadLetterQueueUrl"];
    sources = {
      dynamo,
      sqs,
      tables: [String(outputs.UsersTableName), String(outputs.TransactionsTableName), String(outputs.QuotesTableName)],
      queueUrls: queueKeys.map((key) => String(outputs[key])),
      // Failed sign-ins are counted on purpose: that is the brute-force guard.
      ignoreItem: (item) => String(item.pk).startsWith("LOGIN#"),
    };
    baseline = await settledState(sources);
  });
  after(async () => {
    dynamo?.destroy();
    sqs?.destroy();
    await target?.stop();
  });

  test("without a token, or with one that is not a bearer JWT, every signed-in route is 401 Unauthorized", async () => {
    const key = { "x-api-key": target.apiKeys.loadTest };
    const cases: Record<string, Record<string, string>> = {
      "no Authorization header": key,
      "an empty one": { ...key, authorization: "" },
      "garbage": { ...key, authorization: "Bearer garbage" },
      "three garbage segments": { ...key, authorization: "Bearer aaa.bbb.ccc" },
      "another scheme": { ...key, authorization: `Basic ${Buffer.from("1:demo-pass-1").toString("base64")}` },
      "the token without Bearer": { ...key, authorization: await api.token("1") },
    };
    for (const route of routes) {
      for (const [name, headers] of Object.entries(cases)) {
        const answer = await call(apiUrl, route, headers);
        assert.deepEqual([answer.status, answer.text], [401, UNAUTHORIZED], `${name}: ${route.method} /${route.path}`);
      }
    }
  });

  test("alg none, a tampered signature or payload, another algorithm, an expired or future token are refused; a fresh one signed with the real secret is not", async () => {
    const real = await api.token("1");
    const now = Math.floor(Date.now() / 1000);
    const forged: Record<string, string> = {
      "alg none": algNone(real),
      "tampered signature": tamperedSignature(real),
      "payload naming user 2": tamperedPayload(real, "2"),
      "HS512 in the header": otherAlgorithm(real),
      "expired (real secret)": await signedToken(signingKey, "1", { iat: now - 3600, exp: now - 1800 }),
      "not yet valid (real secret)": await signedToken(signingKey, "1", { iat: now, nbf: now + 3600, exp: now + 7200 }),
      "another audience (real secret)": await signedToken(signingKey, "1", { iat: now, exp: now + 600, aud: "someone-else" }),
      "another issuer (real secret)": await signedToken(signingKey, "1", { iat: now, exp: now + 600, iss: "someone-else" }),
      "a user that does not exist (real secret)": await signedToken(signingKey, "ghost", { iat: now, exp: now + 600 }),
      "signed with another key": await signedToken(new TextEncoder().encode("x".repeat(64)), "1", { iat: now, exp: now + 600 }),
    };
    for (const [name, token] of Object.entries(forged)) {
      assert.notEqual(token, real);
      for (const route of routes) {
        const answer = await call(apiUrl, route, { "x-api-key": target.apiKeys.loadTest, authorization: `Bearer ${token}` });
        assert.deepEqual([answer.status, answer.text], [401, UNAUTHORIZED], `${name}: ${route.method} /${route.path}`);
      }
    }
    // The control: the same forging with the real secret and valid claims is let in, so the refusals above are the claims'.
    const valid = await signedToken(signingKey, "1", { iat: now - 1, exp: now + 600 });
    const answer = await call(apiUrl, { method: "GET", path: "users/1" }, { "x-api-key": target.apiKeys.loadTest, authorization: `Bearer ${valid}` });
    assert.equal(answer.status, 200, answer.text);
  });

  test("another user's token: 403 FORBIDDEN on their account, transactions, statements and orders, 404 on their order and its events", async () => {
    const asUser2 = await signedIn("2");
    const expected: [Route, number, string][] = [
      [{ method: "GET", path: "users/1" }, 403, "FORBIDDEN"],
      [{ method: "GET", path: "users/1/transactions" }, 403, "FORBIDDEN"],
      [{ method: "POST", path: "orders", body: order("1") }, 403, "FORBIDDEN"],
      [{ method: "GET", path: `orders/${orderOfUser1}` }, 404, "ORDER_NOT_FOUND"],
      [{ method: "GET", path: `orders/${orderOfUser1}/events` }, 404, "ORDER_NOT_FOUND"],
      [{ method: "GET", path: `users/1/statements/${new Date().toISOString().slice(0, 10)}` }, 403, "FORBIDDEN"],
    ];
    for (const [route, status, code] of expected) {
      const answer = await call(apiUrl, route, asUser2);
      assert.equal(answer.status, status, `${route.method} /${route.path}: ${answer.text}`);
      assert.equal((JSON.parse(answer.text) as { error: { code: string } }).error.code, code);
      assert.doesNotMatch(answer.text, /PETR4|"cash"|"positions"/, "nothing of user 1's leaks");
    }
    // User 1's order and account answer user 1 (so the refusals above are about who asks).
    assert.equal((await call(apiUrl, { method: "GET", path: `orders/${orderOfUser1}` }, await signedIn("1"))).status, 200);
    assert.equal((await call(apiUrl, { method: "GET", path: "users/1" }, await signedIn("1"))).status, 200);
  });

  test("a missing or unknown API key is 403 Forbidden on every route, sign-in included, whatever the token", async () => {
    const token = { authorization: `Bearer ${await api.token("1")}` };
    const everyRoute: Route[] = [...routes, { method: "POST", path: "sessions", body: JSON.stringify({ userId: "1", password: "demo-pass-1" }) }];
    const keys: Record<string, Record<string, string>> = {
      "no key": {},
      "an unknown key": { "x-api-key": "unknown-key-0123456789abcdefghijklmnop" },
      "an empty key": { "x-api-key": "" },
      "the key with one character changed": { "x-api-key": `${target.apiKeys.loadTest.slice(0, -1)}${target.apiKeys.loadTest.endsWith("A") ? "B" : "A"}` },
    };
    for (const route of everyRoute) {
      for (const [name, key] of Object.entries(keys)) {
        const answer = await call(apiUrl, route, { ...token, ...key });
        assert.deepEqual([answer.status, answer.text], [403, FORBIDDEN], `${name}: ${route.method} /${route.path}`);
        assert.equal(answer.headers.get("x-amzn-errortype"), "ForbiddenException");
      }
    }
  });

  test("guessing passwords: 401 INVALID_CREDENTIALS five times, then 429 TOO_MANY_ATTEMPTS with Retry-After, the same for an unknown user", async () => {
    const answers = async (userId: string) => {
      const seen: { status: number; body: { error?: { code: string; message: string } }; retryAfter: string | null }[] = [];
      for (let attempt = 1; attempt <= 7; attempt += 1) {
        const response = await api.signIn(userId, `guess-${attempt}`);
        seen.push({ status: response.status, body: (await response.json()) as { error?: { code: string; message: string } }, retryAfter: response.headers.get("retry-after") });
      }
      return seen;
    };
    const known = await answers("3");
    const unknown = await answers("nobody-here");
    for (const [who, seen] of [["user 3", known], ["an unknown user", unknown]] as const) {
      assert.deepEqual(seen.map((a) => a.status), [401, 401, 401, 401, 401, 429, 429], who);
      assert.ok(seen.slice(0, 5).every((a) => a.body.error?.code === "INVALID_CREDENTIALS" && a.retryAfter === null), who);
      for (const locked of seen.slice(5)) {
        assert.equal(locked.body.error?.code, "TOO_MANY_ATTEMPTS", who);
        const wait = Number(locked.retryAfter);
        assert.ok(Number.isInteger(wait) && wait > 0 && wait <= 900, `${who}: Retry-After ${locked.retryAfter}`);
      }
    }
    assert.deepEqual(known[0]?.body, unknown[0]?.body, "a wrong password and an unknown user get the same answer");
    // Locked out, even the right password is refused, and no token is given.
    const right = await api.signIn("3", "demo-pass-3");
    assert.equal(right.status, 429);
    assert.equal("accessToken" in ((await right.json()) as object), false);
  });

  test("random tokens and headers never get a 2xx or a 5xx", async () => {
    const real = await api.token("2");
    const base64urlText = fc.string({ unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), maxLength: 60 });
    const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 });
    // One character of the real token changed (never the signature's last, whose low bits are padding).
    const mutated = fc
      .tuple(fc.nat({ max: real.length - 2 }), fc.constantFrom(..."ABCXYZabcxyz019-_."))
      .filter(([at, c]) => real[at] !== c)
      .map(([at, c]) => `${real.slice(0, at)}${c}${real.slice(at + 1)}`);
    const token = fc.oneof(
      printable,
      base64urlText.map((t) => `Bearer ${t}`),
      fc.tuple(base64urlText, base64urlText, base64urlText).map((parts) => `Bearer ${parts.join(".")}`),
      mutated.map((t) => `Bearer ${t}`),
      fc.constant(`Bearer ${algNone(real)}`),
      fc.constant(real),
    );
    const key = fc.oneof(printable, base64urlText, fc.constant(target.apiKeys.loadTest));
    const extra = fc.dictionary(fc.stringMatching(/^x-[a-z0-9-]{1,20}$/), printable, { maxKeys: 4 });
    const request = fc.record({ route: fc.constantFrom(...routes), token: fc.option(token), key: fc.option(key), extra }).filter(({ token, key }) => !(token === `Bearer ${real}` && key === target.apiKeys.loadTest));
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async ({ route, token, key, extra }) => {
        const headers: Record<string, string> = { ...extra, ...(token === null ? {} : { authorization: token }), ...(key === null ? {} : { "x-api-key": key }) };
        const answer = await call(apiUrl, route, headers);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const what = `${route.method} /${route.path} ${JSON.stringify(headers)} → ${answer.status} ${answer.text}`;
        assert.ok(answer.status >= 400 && answer.status < 500, what);
        assert.equal(typeof (JSON.parse(answer.text) as { message?: unknown }).message, "string", what);
      }),
      { numRuns: 300, seed: 20_261_111, endOnFailure: true },
    );
    assert.deepEqual([...statuses.keys()].sort(), [401, 403], `answers by status: ${JSON.stringify(Object.fromEntries(statuses))}`);
  });

  test("no refused request wrote or queued anything", async () => {
    const now = await readState(sources);
    assert.deepEqual(stateDifference(baseline, now), []);
  });

  test("a burst over the demo key's limit: 429 Too Many Requests, nothing written by those, and the rate back after the window", async () => {
    const demo = target.client("demo");
    const headers = await demo.headers("3");
    const { burstLimit, rateLimit } = USAGE_PLANS.clients;
    const burst = burstLimit + 15;
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: burst }, () => call(apiUrl, { method: "POST", path: "orders", body: order() }, headers)));
    // The bucket refills while the burst is served: at most a full bucket plus what came in meanwhile.
    const refilled = Math.ceil(((performance.now() - started) / 1000) * rateLimit);
    const accepted = answers.filter((a) => a.status === 202).map((a) => (JSON.parse(a.text) as { orderId: string }).orderId);
    const throttled = answers.filter((a) => a.status === 429);
    assert.equal(accepted.length + throttled.length, burst, JSON.stringify(answers.map((a) => a.status)));
    assert.ok(accepted.length >= 1 && accepted.length <= burstLimit + refilled, `${accepted.length} accepted of a burst of ${burst} (bucket ${burstLimit}, ${refilled} refilled)`);
    assert.ok(throttled.length >= 1, "some of the burst was throttled");
    for (const answer of throttled) {
      assert.equal(answer.text, '{"message":"Too Many Requests"}');
      assert.equal(answer.headers.get("x-amzn-errortype"), "TooManyRequestsException");
    }

    // Only the accepted orders exist: the throttled ones reached no function.
    const after = await settledState(sources);
    const ordersOf3 = (after.items[String(target.outputs.Brokerage?.TransactionsTableName)] ?? [])
      .map((text) => JSON.parse(text) as { pk: string; sk: string; userId?: string; orderId?: string })
      .filter((item) => item.sk === "ORDER" && item.userId === "3");
    const before = (baseline.items[String(target.outputs.Brokerage?.TransactionsTableName)] ?? []).filter((text) => text.includes('"sk":"ORDER"') && text.includes('"userId":"3"'));
    assert.equal(before.length, 0);
    assert.deepEqual(ordersOf3.map((item) => item.orderId).sort(), [...accepted].sort());

    // After the window the bucket is full again: waiting, not timing, is what this checks.
    await sleep(Math.ceil((burstLimit / rateLimit) * 1000) + 3000);
    const again = await Promise.all(Array.from({ length: burstLimit / 2 }, () => call(apiUrl, { method: "GET", path: "users/3" }, headers)));
    assert.deepEqual(again.map((a) => a.status), again.map(() => 200));
  });
});
