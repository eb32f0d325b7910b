import fc from "fast-check";
import { SignJWT, UnsecuredJWT } from "jose";
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ACCESS_TOKEN, InvalidAccessTokenError, issueAccessToken, verifyAccessToken } from "../../../../domain/identity/access-token.ts";

const key = new TextEncoder().encode("k".repeat(64));
const otherKey = new TextEncoder().encode("o".repeat(64));
const now = new Date("2026-12-02T12:00:00Z");
const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
const refused = (token: string, options: { key?: Uint8Array; when?: Date } = {}) =>
  assert.rejects(verifyAccessToken(token, options.key ?? key, options.when ?? now), InvalidAccessTokenError);

/** A token like ours with some claims changed, signed with `signKey`. */
async function forged(change: { iss?: string; aud?: string; nbf?: number; exp?: number; alg?: string; signKey?: Uint8Array }): Promise<string> {
  const issued = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: change.alg ?? "HS256" })
    .setIssuer(change.iss ?? ACCESS_TOKEN.issuer)
    .setAudience(change.aud ?? ACCESS_TOKEN.audience)
    .setSubject("1")
    .setIssuedAt(issued)
    .setNotBefore(change.nbf ?? issued)
    .setExpirationTime(change.exp ?? issued + 900)
    .sign(change.signKey ?? key);
}

describe("access tokens", () => {
  test("a token issued for a user verifies to that user for 15 minutes, then not", async () => {
    const issued = await issueAccessToken("42", key, now);
    assert.equal(issued.tokenType, "Bearer");
    assert.equal(issued.expiresIn, 900);
    assert.equal((await verifyAccessToken(issued.accessToken, key, at(899))).userId, "42");
    await refused(issued.accessToken, { when: at(901) });
    const [header, payload] = issued.accessToken.split(".").slice(0, 2).map((part) => JSON.parse(Buffer.from(part, "base64url").toString()) as Record<string, unknown>);
    assert.equal(header?.alg, "HS256");
    assert.equal(payload?.iss, "brokerage");
    assert.equal(payload?.aud, "brokerage-api");
    assert.equal(typeof payload?.jti, "string");
  });

  test("two tokens for the same user at the same instant differ (jti)", async () => {
    assert.notEqual((await issueAccessToken("1", key, now)).accessToken, (await issueAccessToken("1", key, now)).accessToken);
  });

  test("alg none is refused", async () => {
    const unsecured = new UnsecuredJWT({}).setIssuer("brokerage").setAudience("brokerage-api").setSubject("1").setIssuedAt().setNotBefore("0s").setExpirationTime("15m").encode();
    await refused(unsecured);
  });

  test("a tampered payload, a foreign key and a key too short are refused", async () => {
    const { accessToken } = await issueAccessToken("1", key, now);
    const [header, , signature] = accessToken.split(".");
    const otherPayload = Buffer.from(JSON.stringify({ sub: "2", iss: "brokerage", aud: "brokerage-api", iat: 1, nbf: 1, exp: 4e9 })).toString("base64url");
    await refused(`${header}.${otherPayload}.${signature}`);
    await refused(accessToken, { key: otherKey });
    await refused(await forged({ signKey: otherKey }));
    await assert.rejects(verifyAccessToken(accessToken, new Uint8Array(16), now), /at least 32 bytes/);
  });

  test("wrong issuer, wrong audience, not yet valid, expired, another HMAC algorithm: refused", async () => {
    const issued = Math.floor(now.getTime() / 1000);
    await refused(await forged({ iss: "someone-else" }));
    await refused(await forged({ aud: "another-api" }));
    await refused(await forged({ nbf: issued + 600 }));
    await refused(await forged({ exp: issued - 1 }));
    await refused(await forged({ alg: "HS512" }));
  });

  test("property: random strings and random headers on a real payload are never accepted", async () => {
    const { accessToken } = await issueAccessToken("1", key, now);
    const [, payload, signature] = accessToken.split(".");
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.stringMatching(/^[-0-9A-Za-z_]*\.[-0-9A-Za-z_]*\.[-0-9A-Za-z_]*$/)), async (token) => {
        await refused(token);
      }),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.constant(null))), async (headerFields) => {
        const header = Buffer.from(JSON.stringify(headerFields)).toString("base64url");
        await refused(`${header}.${payload}.${signature}`);
      }),
      { numRuns: 200 },
    );
  });
});
