import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { ScanCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { listingOf } from "../../domain/tickers.ts";
import { documentClientFromEnv, sqsClientFromEnv } from "../../ops/environment.ts";
import type { ApiClient } from "./support/api-client.ts";
import { startTarget, targetName, type E2eTarget } from "./support/target.ts";

/** One HTTP request against the API; `path` is relative to the stage URL. */
interface BadRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** The one status this request must get, when it is certain. */
  readonly status?: number;
  /** The demo user whose token it carries (default "1"), so the validators, not the access checks, judge it. */
  readonly as?: string;
}

const BATCH = 4; // requests in flight at once
const SEED = 20_260_101; // fixed, so a failure reproduces; fast-check prints it too
const DEMO_USERS = ["1", "2", "3"];
const ORDER_KEYS = ["userId", "ticker", "quantity", "side"];

// --- values that make an order invalid on their own, whatever the other fields hold ---
const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 20 }));
const injection = fc.constantFrom("' OR '1'='1", "1; DROP TABLE users", "<script>alert(1)</script>", "${jndi:ldap://x/a}", "../../etc/passwd", "USER#1", "{{7*7}}", "\u0000", "%00", "\u202e1", "１");
const notAString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue(), { maxKeys: 3 }));
const badUserId = fc.oneof(notAString, injection, fc.constant(""), fc.string({ minLength: 65, maxLength: 300 }), text.filter((s) => s.length > 0 && !DEMO_USERS.includes(s)));
const badTicker = fc.oneof(notAString, injection, fc.string({ minLength: 17, maxLength: 200 }), text.filter((s) => listingOf(s) === undefined));
const badQuantity = fc.oneof(
  fc.constantFrom(0, -1, 1_000_001, Number.MAX_SAFE_INTEGER, 1e300, 0.5, -0.000001, 2 ** 53 + 2),
  fc.integer({ min: -1_000_000_000, max: 0 }),
  fc.integer({ min: 1_000_001 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((q) => !Number.isSafeInteger(q) || q <= 0 || q > 1_000_000),
  fc.oneof(fc.string({ maxLength: 10 }), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 })),
);
const badSide = fc.oneof(notAString, fc.constantFrom("buy", "sell", "Buy", "SHORT", " BUY", ""), text.filter((s) => s !== "BUY" && s !== "SELL"));
const extraKey = fc.oneof(fc.constantFrom("__proto__", "constructor", "price", "status", "USERID", ""), fc.string({ maxLength: 20 })).filter((k) => !ORDER_KEYS.includes(k));

const validOrder = fc.record({
  userId: fc.constantFrom(...DEMO_USERS),
  ticker: fc.constantFrom("PETR4", "AAPL", "VALE3", "bova11"),
  quantity: fc.integer({ min: 1, max: 1000 }),
  side: fc.constantFrom("BUY", "SELL"),
});

type Breaker = (order: Record<string, unknown>) => string;
/** Each breaker returns the JSON text of the order with one thing made wrong. */
const breaker: fc.Arbitrary<Breaker> = fc.oneof(
  badUserId.map((v): Breaker => (o) => JSON.stringify({ ...o, userId: v })),
  badTicker.map((v): Breaker => (o) => JSON.stringify({ ...o, ticker: v })),
  badQuantity.map((v): Breaker => (o) => JSON.stringify({ ...o, quantity: v })),
  badSide.map((v): Breaker => (o) => JSON.stringify({ ...o, side: v })),
  // userId may be left out (the order is the caller's); ticker and quantity may not.
  fc.constantFrom("ticker", "quantity").map((k): Breaker => (o) => JSON.stringify({ ...o, [k]: undefined })),
  // Spliced in as text, so "__proto__" arrives as a real key.
  fc.tuple(extraKey, fc.jsonValue()).map(([k, v]): Breaker => (o) => `${JSON.stringify(o).slice(0, -1)},${JSON.stringify(k)}:${JSON.stringify(v) ?? "null"}}`),
  fc.jsonValue().filter((v) => typeof v !== "object" || v === null || Array.isArray(v)).map((v): Breaker => () => JSON.stringify(v) ?? "null"),
);

const brokenJson = fc.oneof(
  validOrder.chain((o) => fc.nat({ max: JSON.stringify(o).length - 1 }).map((cut) => JSON.stringify(o).slice(0, cut))),
  fc.constantFrom("", "{", "}", "null,", "{'userId':'1'}", '{"userId":"1",}', '{"quantity":1e400,"userId":"1","ticker":"PETR4"}', "\uFEFF{}", "NaN", "[1,2", '{"a":1}/*c*/x', "userId=1&ticker=PETR4&quantity=1"),
  fc.string({ unit: "binary", maxLength: 200 }),
);

const contentType = fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "application/xml", "application/octet-stream", "multipart/form-data; boundary=x", "");
const headersWith = (type: string, extra: Record<string, string> = {}) => ({ ...(type ? { "content-type": type } : {}), ...extra });

const malformedOrder: fc.Arbitrary<BadRequest> = fc.oneof(
  fc.tuple(validOrder, fc.array(breaker, { minLength: 1, maxLength: 3 }), contentType).map(([order, breakers, type]) => {
    // Later breakers apply to the output of earlier ones when it is still an object.
    let body = JSON.stringify(order);
    for (const apply of breakers) {
      const parsed: unknown = JSON.parse(body);
      body = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? apply(parsed as Record<string, unknown>) : body;
    }
    return { method: "POST", path: "orders", headers: headersWith(type), body, as: order.userId };
  }),
  fc.tuple(brokenJson, contentType).map(([body, type]) => ({ method: "POST", path: "orders", headers: headersWith(type), body })),
  // A valid order declared as something other than JSON.
  fc.tuple(validOrder, fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "application/xml", "application/octet-stream", "multipart/form-data; boundary=x")).map(([order, type]) => ({
    method: "POST",
    path: "orders",
    headers: headersWith(type),
    body: JSON.stringify(order),
    status: 415,
    as: order.userId,
  })),
  // A valid order, but an Idempotency-Key that is too long.
  fc.tuple(validOrder, fc.string({ minLength: 129, maxLength: 300, unit: fc.constantFrom(..."abcXYZ019-_") })).map(([order, key]) => ({
    method: "POST",
    path: "orders",
    headers: headersWith("application/json", { "idempotency-key": key }),
    body: JSON.stringify(order),
    as: order.userId,
  })),
);

const LIMIT = 16 * 1024;
/** Over 16 KiB in bytes: padded valid orders, long field values, and multi-byte text that is short in characters. */
const oversized: fc.Arbitrary<BadRequest> = fc
  .tuple(validOrder, fc.integer({ min: LIMIT + 1, max: 4 * LIMIT }), fc.constantFrom("pad", "field", "multibyte"))
  .map(([order, bytes, how]) => {
    const json = JSON.stringify(order);
    const body =
      how === "pad" ? json + " ".repeat(bytes - json.length) : how === "field" ? JSON.stringify({ ...order, ticker: "P".repeat(bytes) }) : JSON.stringify({ ...order, userId: "€".repeat(Math.ceil(bytes / 3)) });
    return { method: "POST", path: "orders", headers: headersWith("application/json"), body, status: 413, as: order.userId };
  });

const pathSegment = (s: string) => encodeURIComponent(s);
const notDotSegment = (s: string) => s !== "." && s !== "..";
/** Resources and methods the API does not define: API Gateway itself answers 403. */
const unknownRoute: fc.Arbitrary<BadRequest> = fc.oneof(
  fc
    .tuple(fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"), fc.array(text.filter((s) => s.length > 0 && notDotSegment(s)), { minLength: 1, maxLength: 3 }))
    .filter(([, segments]) => !["orders", "users", "quotes"].includes(segments[0] ?? ""))
    .map(([method, segments]) => ({ method, path: segments.map(pathSegment).join("/"), headers: {}, status: 403 })),
  fc.constantFrom(
    ...[
      ["GET", "orders"], ["PUT", "orders"], ["DELETE", "orders"], ["PATCH", "orders"], ["POST", "users/1"], ["DELETE", "users/1"], ["PUT", "orders/abc"],
      ["POST", "quotes/PETR4"], ["GET", "users"], ["GET", "quotes"], ["GET", ""], ["POST", ""], ["GET", "users/1/transactions/x"], ["POST", "Orders"], ["GET", "orders/a/b"],
    ].map(([method = "GET", path = ""]) => ({ method, path, headers: headersWith("application/json"), body: method === "GET" ? undefined : '{"userId":"1","ticker":"PETR4","quantity":1}', status: 403 })),
  ),
);

const badId = fc.oneof(injection, fc.string({ minLength: 65, maxLength: 200 }), text).filter((s) => s.length > 0 && notDotSegment(s));
const badLimit = fc.oneof(fc.constantFrom("0", "101", "-1", "1.5", "1e2", "abc", "%31", " 5"), text).filter((s) => s !== "" && !(/^\d+$/.test(s) && Number(s) >= 1 && Number(s) <= 100));
/** The GET routes with ids that are malformed or unknown, and bad paging parameters. */
const badPathOrQuery: fc.Arbitrary<BadRequest> = fc.oneof(
  badId.filter((s) => !DEMO_USERS.includes(s)).map((id) => ({ method: "GET", path: `users/${pathSegment(id)}`, headers: {} })),
  badId.filter((s) => !DEMO_USERS.includes(s)).map((id) => ({ method: "GET", path: `users/${pathSegment(id)}/transactions`, headers: {} })),
  badId.map((id) => ({ method: "GET", path: `orders/${pathSegment(id)}`, headers: {} })),
  badId.filter((s) => listingOf(s) === undefined).map((id) => ({ method: "GET", path: `quotes/${pathSegment(id)}`, headers: {} })),
  fc.tuple(fc.constantFrom(...DEMO_USERS), badLimit).map(([user, limit]) => ({ method: "GET", path: `users/${user}/transactions?limit=${encodeURIComponent(limit)}`, headers: {}, as: user })),
  fc.tuple(fc.constantFrom(...DEMO_USERS), fc.oneof(text, fc.base64String({ minLength: 4, maxLength: 200 })).filter((s) => s.length > 0)).map(([user, token]) => ({
    method: "GET",
    path: `users/${user}/transactions?nextToken=${encodeURIComponent(token)}`,
    headers: {},
    as: user,
  })),
);

/**
 * Throws bad requests at the API: every answer must be a refusal a client can read, never a 5xx.
 * Each carries a valid API key and token, so the functions' validators judge it.
 */
describe(`bad input on ${targetName}`, () => {
  let target: E2eTarget;
  let api: ApiClient;
  let sqs: SQSClient;
  let dynamo: DynamoDBDocumentClient;
  let ordersQueueUrl: string;
  let transactionsTable: string;
  let itemsBefore: number;
  const statuses = new Map<number, number>();

  const countItems = async (table: string): Promise<number> => {
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await dynamo.send(new ScanCommand({ TableName: table, Select: "COUNT", ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return count;
  };

  /** Sends one request and asserts the answer is a readable 4xx. */
  async function refused(request: BadRequest): Promise<void> {
    const response = await api.fetch(request.as ?? "1", request.path, { method: request.method, headers: request.headers, ...(request.body === undefined ? {} : { body: request.body }) });
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    const text = await response.text();
    const what = `${request.method} /${request.path} ${JSON.stringify(request.body?.slice(0, 300) ?? null)} → ${response.status} ${text.slice(0, 300)}`;
    assert.ok(response.status >= 400 && response.status < 500, `a 4xx: ${what}`);
    if (request.status !== undefined) assert.equal(response.status, request.status, what);
    assert.doesNotMatch(text, /\n\s+at |Error: /, `no stack trace: ${what}`);
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown }; message?: unknown };
    if (response.headers.get("x-amzn-errortype")) {
      assert.equal(typeof body.message, "string", `API Gateway's {message}: ${what}`);
    } else {
      assert.equal(typeof body.error?.code, "string", `{"error":{"code"}}: ${what}`);
      assert.equal(typeof body.error?.message, "string", `{"error":{"message"}}: ${what}`);
    }
  }

  const batchProperty = (requests: fc.Arbitrary<BadRequest>) =>
    fc.asyncProperty(fc.array(requests, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
      await Promise.all(batch.map(refused));
    });

  before(async () => {
    target = await startTarget();
    const outputs = target.outputs.Brokerage ?? {};
    // Thousands of requests: the load-test key, whose plan does not throttle them.
    api = target.client("loadTest");
    for (const user of DEMO_USERS) await api.token(user);
    ordersQueueUrl = String(outputs.OrdersQueueUrl);
    transactionsTable = String(outputs.TransactionsTableName);
    sqs = sqsClientFromEnv(target.awsEnv);
    dynamo = documentClientFromEnv(target.awsEnv);
    itemsBefore = await countItems(transactionsTable);
  });
  after(async () => {
    sqs?.destroy();
    dynamo?.destroy();
    await target?.stop();
  });

  const cases: [string, fc.Arbitrary<BadRequest>, number][] = [
    ["malformed order bodies, content types and headers", malformedOrder, 250],
    ["bodies over 16 KiB", oversized, 25],
    ["unknown routes and methods", unknownRoute, 75],
    ["malformed ids and paging parameters on the GET routes", badPathOrQuery, 150],
  ];
  for (const [name, requests, runs] of cases) {
    test(`${runs * BATCH} requests with ${name} are refused with a 4xx and an error body`, async () => {
      await fc.assert(batchProperty(requests), { numRuns: runs, seed: SEED, endOnFailure: true });
    });
  }

  test("no bad request placed an order: nothing written to the transactions table, nothing queued", async (t) => {
    const sent = [...statuses.values()].reduce((a, b) => a + b, 0);
    t.diagnostic(`${sent} bad requests sent; answers by status: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    assert.equal(await countItems(transactionsTable), itemsBefore, "no new item in the transactions table");
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: ordersQueueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
    );
    assert.deepEqual([Attributes.ApproximateNumberOfMessages, Attributes.ApproximateNumberOfMessagesNotVisible], ["0", "0"], "the orders queue is empty");
    if (target.name === "localcloud") {
      assert.deepEqual(target.logs.filter((line) => line.includes("order accepted")), [], "validate-order accepted nothing");
    }
  });
});
