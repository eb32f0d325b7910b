import { GetCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyResult, APIGatewayTokenAuthorizerEvent } from "aws-lambda";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DynamoCredentialStore, DynamoLoginAttemptStore } from "../../adapters/dynamo-credentials.ts";
import { verifyAccessToken } from "../../domain/identity/access-token.ts";
import middy from "@middy/core";
import { httpErrors } from "../../functions/shared/http.ts";
import { signIn } from "../../functions/session/sign-in.ts";
import { tokenAuthorizer } from "../../functions/session/token-authorizer.ts";
import { deleteUser } from "../../ops/user-admin.ts";
import { seedDemoUsers } from "../../scripts/seed-users.ts";
import { apiEvent, lambdaContext } from "./support/events.ts";
import { startTestCloud, type TestCloud } from "./support/test-cloud.ts";

const key = new TextEncoder().encode("s".repeat(64));
const keys = { signingKey: async () => key };
const METHOD_ARN = "arn:aws:execute-api:us-east-1:000000000000:abc123/prod/GET/users/1";

describe("sign-in and the authorizer, on the real DynamoDB emulator", () => {
  let cloud: TestCloud;
  let post: (body: unknown) => Promise<APIGatewayProxyResult>;
  let authorize: (token: string) => ReturnType<ReturnType<typeof tokenAuthorizer>>;
  let now = new Date("2026-12-02T12:00:00Z");

  before(async () => {
    cloud = await startTestCloud();
    await seedDemoUsers({ usersTable: cloud.tables.users, client: cloud.db, cipher: cloud.cipher });
    const credentials = new DynamoCredentialStore(cloud.tables.users, cloud.db);
    // With the same HTTP edge as the deployed function, so errors become responses.
    const handler = middy(signIn({ credentials, attempts: new DynamoLoginAttemptStore(cloud.tables.users, cloud.db), keys, now: () => now })).use(httpErrors());
    post = (body) => handler(apiEvent({ method: "POST", resource: "/sessions", body: JSON.stringify(body), headers: { "content-type": "application/json" } }), lambdaContext());
    const authorizer = tokenAuthorizer({ credentials, keys, now: () => now });
    authorize = (token) => authorizer({ type: "TOKEN", authorizationToken: token, methodArn: METHOD_ARN } as APIGatewayTokenAuthorizerEvent);
  });
  after(async () => {
    await cloud?.stop();
  });

  const attemptsOf = async (userId: string) => (await cloud.db.send(new GetCommand({ TableName: cloud.tables.users, Key: { pk: `LOGIN#${userId}`, sk: "ATTEMPTS" } }))).Item;

  test("the right password gets a 15-minute bearer token for that user", async () => {
    const response = await post({ userId: "1", password: "demo-pass-1" });
    assert.equal(response.statusCode, 201);
    assert.equal(response.headers?.["cache-control"], "no-store");
    const body = JSON.parse(response.body) as { accessToken: string; tokenType: string; expiresIn: number };
    assert.equal(body.tokenType, "Bearer");
    assert.equal(body.expiresIn, 900);
    assert.equal((await verifyAccessToken(body.accessToken, key, now)).userId, "1");
  });

  test("a wrong password and an unknown user get the same 401 body", async () => {
    const wrong = await post({ userId: "2", password: "not-it" });
    const unknown = await post({ userId: "no-such-user", password: "demo-pass-2" });
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    assert.equal(wrong.body, unknown.body);
    assert.equal(JSON.parse(wrong.body).error.code, "INVALID_CREDENTIALS");
    assert.equal((await attemptsOf("no-such-user"))?.failures, 1, "unknown ids are counted too");
  });

  test("a malformed body is 400 and counts nothing", async () => {
    assert.equal((await post({ userId: "3" })).statusCode, 400);
    assert.equal((await post({ userId: "../3", password: "x" })).statusCode, 400);
    assert.equal(await attemptsOf("3"), undefined);
  });

  test("after 5 failures in 15 minutes even the right password gets 429 with Retry-After, until the window ends", async () => {
    for (let i = 0; i < 5; i++) assert.equal((await post({ userId: "3", password: `guess-${i}` })).statusCode, 401);
    const locked = await post({ userId: "3", password: "demo-pass-3" });
    assert.equal(locked.statusCode, 429);
    assert.equal(JSON.parse(locked.body).error.code, "TOO_MANY_ATTEMPTS");
    assert.equal(locked.headers?.["Retry-After"], "900");
    const item = await attemptsOf("3");
    assert.equal(item?.expiresAt, Math.floor(now.getTime() / 1000) + 900, "the TTL attribute ends the window");

    now = new Date(now.getTime() + 901_000);
    assert.equal((await post({ userId: "3", password: "demo-pass-3" })).statusCode, 201);
    assert.equal(await attemptsOf("3"), undefined, "a success clears the count");
  });

  test("the authorizer allows a valid token on the whole stage and passes the user on", async () => {
    const { accessToken } = JSON.parse((await post({ userId: "2", password: "demo-pass-2" })).body) as { accessToken: string };
    const result = await authorize(`Bearer ${accessToken}`);
    assert.equal(result.principalId, "2");
    assert.deepEqual(result.context, { userId: "2" });
    assert.deepEqual(result.policyDocument.Statement, [
      { Action: "execute-api:Invoke", Effect: "Allow", Resource: "arn:aws:execute-api:us-east-1:000000000000:abc123/prod/*/*" },
    ]);
  });

  test("the authorizer refuses a missing, garbage, tampered or expired token with Unauthorized", async () => {
    const { accessToken } = JSON.parse((await post({ userId: "2", password: "demo-pass-2" })).body) as { accessToken: string };
    const [header, payload, signature] = accessToken.split(".");
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload ?? "", "base64url").toString()), sub: "1" })).toString("base64url");
    for (const token of ["", "Bearer", `Basic ${accessToken}`, "Bearer garbage", `Bearer ${header}.${forgedPayload}.${signature}`]) {
      await assert.rejects(authorize(token), { message: "Unauthorized" }, token);
    }
    const later = now;
    now = new Date(now.getTime() + 901_000);
    await assert.rejects(authorize(`Bearer ${accessToken}`), { message: "Unauthorized" });
    now = later;
  });

  test("a deleted user's token stops working and their password with it", async () => {
    const { accessToken } = JSON.parse((await post({ userId: "2", password: "demo-pass-2" })).body) as { accessToken: string };
    await deleteUser({ client: cloud.db, usersTable: cloud.tables.users, cipher: cloud.cipher }, "2");
    await assert.rejects(authorize(`Bearer ${accessToken}`), { message: "Unauthorized" });
    assert.equal((await post({ userId: "2", password: "demo-pass-2" })).statusCode, 401);
    const { Items = [] } = await cloud.db.send(new ScanCommand({ TableName: cloud.tables.users }));
    assert.deepEqual(Items.filter((item) => item.pk === "USER#2"), []);
  });
});
