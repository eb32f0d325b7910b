import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import newman, { type NewmanRunOptions, type NewmanRunSummary } from "newman";
import { startTarget, targetName, type E2eTarget } from "./support/target.ts";

const COLLECTION_FILE = new URL("../../postman/brokerage.postman_collection.json", import.meta.url);
const SCHEMA_V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";

interface CollectionItem {
  name: string;
  item?: CollectionItem[];
  request?: { method: string; url: string | { raw: string }; header?: { key: string; value: string }[] };
  event?: { listen: string; script: { exec: string[] } }[];
}
interface Collection {
  info: { name: string; schema: string };
  variable: { key: string; value: string }[];
  item: CollectionItem[];
}

/** The requests of a collection, folders flattened, in order. */
function requestsOf(items: CollectionItem[]): CollectionItem[] {
  return items.flatMap((item) => (item.item ? requestsOf(item.item) : [item]));
}

function runCollection(options: NewmanRunOptions): Promise<NewmanRunSummary> {
  return new Promise((resolve, reject) => {
    newman.run(options, (error, summary) => (error ? reject(error) : resolve(summary)));
  });
}

/** Every failed assertion or script as "request › assertion: message", for a readable test failure. */
function describeFailures(summary: NewmanRunSummary): string[] {
  return summary.run.failures.map((failure) => {
    const where = failure.source?.name ?? "(collection)";
    const what = failure.error.test ?? failure.at;
    return `${where} › ${what}: ${failure.error.message}`;
  });
}

const collectionText = readFileSync(COLLECTION_FILE, "utf8");

describe("the Postman collection", () => {
  test("is a v2.1 collection whose baseUrl, userId and password default to the local cloud and the first demo user", () => {
    const collection = JSON.parse(collectionText) as Collection;
    assert.equal(collection.info.schema, SCHEMA_V21);
    const variables = Object.fromEntries(collection.variable.map((v) => [v.key, v.value]));
    assert.equal(variables.baseUrl, "http://localhost:4566/_aws/execute-api/REPLACE_WITH_API_ID/prod");
    assert.equal(variables.userId, "1");
    assert.equal(variables.password, "demo-pass-1");
    assert.ok("apiKey" in variables && "accessToken" in variables, "apiKey and accessToken are collection variables");

    const requests = requestsOf(collection.item);
    const names = requests.map((r) => r.name);
    assert.equal(new Set(names).size, names.length, "request names are unique, so setNextRequest can target them");
    for (const request of requests) {
      const url = typeof request.request?.url === "string" ? request.request.url : request.request?.url.raw;
      assert.match(String(url), /^\{\{baseUrl\}\}\//, `${request.name} is relative to {{baseUrl}}`);
      const tests = request.event?.filter((e) => e.listen === "test").flatMap((e) => e.script.exec) ?? [];
      assert.ok(tests.some((line) => line.includes("pm.test(")), `${request.name} asserts something`);
    }
  });

  test("signs in first, keeps the token, and sends it and the API key on every other request", () => {
    const collection = JSON.parse(collectionText) as Collection;
    const [signIn, ...rest] = requestsOf(collection.item);
    assert.equal(signIn?.request?.method, "POST");
    assert.equal(signIn.request.url, "{{baseUrl}}/sessions");
    const tests = signIn.event?.flatMap((e) => e.script.exec).join("\n") ?? "";
    assert.match(tests, /pm\.collectionVariables\.set\('accessToken', session\.accessToken\)/);
    const header = (request: CollectionItem, key: string) => request.request?.header?.find((h) => h.key.toLowerCase() === key.toLowerCase())?.value;
    assert.equal(header(signIn, "x-api-key"), "{{apiKey}}");
    // The requests that check API Gateway's refusals leave one of the two out on purpose.
    const refusals = new Set(["Without a token is 401 Unauthorized", "Without an API key is 403 Forbidden", "Wrong password is 401 INVALID_CREDENTIALS"]);
    for (const request of rest.filter((r) => !refusals.has(r.name))) {
      assert.equal(header(request, "x-api-key"), "{{apiKey}}", `${request.name} sends the API key`);
      assert.equal(header(request, "Authorization"), "Bearer {{accessToken}}", `${request.name} sends the token`);
    }
  });
});

describe(`the Postman collection run by newman on ${targetName}`, () => {
  let target: E2eTarget;
  let baseUrl: string;

  before(async () => {
    target = await startTarget();
    const apiUrl = String(target.outputs.Brokerage?.ApiUrl);
    assert.match(apiUrl, /\/prod\/$/);
    baseUrl = apiUrl.replace(/\/$/, "");
  });
  after(async () => target?.stop());

  test("the demo (value, buy 10 PETR4, fill, revaluation) and the error cases pass every assertion", { timeout: 180_000 }, async () => {
    const collection = JSON.parse(collectionText) as Collection;
    const summary = await runCollection({
      collection,
      envVar: [
        { key: "baseUrl", value: baseUrl },
        { key: "apiKey", value: target.apiKeys.demo },
        { key: "userId", value: "2" },
        { key: "password", value: "demo-pass-2" },
      ],
      reporters: [],
      timeoutRequest: 15_000,
      timeout: 150_000,
    });

    assert.ok(!summary.run.error, `the run itself failed: ${String(summary.run.error)}`);
    const failures = describeFailures(summary);
    assert.deepEqual(failures, [], `failed in the collection:\n${failures.join("\n")}`);
    assert.equal(summary.run.stats.assertions.failed, 0);
    assert.equal(summary.run.stats.requests.failed, 0);

    // Every request ran (nothing was skipped by an early setNextRequest), each answering with a status.
    const ran = new Set(summary.run.executions.map((execution) => execution.item.name));
    for (const request of requestsOf(collection.item)) assert.ok(ran.has(request.name), `"${request.name}" was run`);
    for (const execution of summary.run.executions) {
      assert.equal(execution.requestError, undefined, `${execution.item.name}: ${String(execution.requestError)}`);
    }

    // The demo's key claims were checked, and passed.
    const passed = new Set(
      summary.run.executions.flatMap((execution) =>
        (execution.assertions ?? []).filter((a) => !a.error && !a.skipped).map((a) => `${execution.item.name} › ${a.assertion}`),
      ),
    );
    const mustPass = [
      "0. Sign in › status is 201 Created",
      "0. Sign in › the answer is a 15-minute Bearer access token",
      "2. Buy 10 PETR4 › status is 202 Accepted",
      "2. Buy 10 PETR4 › Location points at the order",
      "3. Wait until the order is filled › the order is FILLED within 60 polls",
      "3. Wait until the order is filled › amount is exactly 10 x fill price (decimal strings, integer cents)",
      "4. Wait until the portfolio is revalued › the BRL portfolio value is the positions at their latest quotes",
      "Malformed JSON is 400 MALFORMED_JSON › error code is MALFORMED_JSON",
      "Order for another user's account is 403 FORBIDDEN › error code is FORBIDDEN",
      "Another user's account is 403 FORBIDDEN › error code is FORBIDDEN, whether or not the account exists",
      "Unknown order is 404 ORDER_NOT_FOUND › error code is ORDER_NOT_FOUND",
      "Without a token is 401 Unauthorized › API Gateway answers {\"message\": \"Unauthorized\"}",
      "Without an API key is 403 Forbidden › API Gateway answers {\"message\": \"Forbidden\"}",
      "Wrong password is 401 INVALID_CREDENTIALS › error code is INVALID_CREDENTIALS",
    ];
    // On a fresh local cloud user 2 starts with nothing, so the demo's own claim applies: 0 → 10 × price.
    if (target.name === "localcloud") mustPass.push("4. Wait until the portfolio is revalued › the BRL portfolio value rose by exactly the order amount");
    for (const name of mustPass) assert.ok(passed.has(name), `assertion "${name}" ran and passed`);
    assert.ok(summary.run.stats.assertions.total >= 30, `only ${summary.run.stats.assertions.total} assertions ran`);
  });
});
