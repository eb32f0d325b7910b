/**
 * The API's access tokens: JWTs signed with HS256 (and only HS256), issued by
 * "brokerage" for the audience "brokerage-api", 15 minutes long, naming the user
 * in `sub`. jose does the signing and every check.
 */
import { randomUUID } from "node:crypto";
import { SignJWT, errors, jwtVerify } from "jose";

export const ACCESS_TOKEN = {
  algorithm: "HS256",
  issuer: "brokerage",
  audience: "brokerage-api",
  lifetimeSeconds: 15 * 60,
} as const;

/** Shorter than this, an HMAC key is guessable; the stack's generated key has 64 characters. */
const MIN_KEY_BYTES = 32;

export class InvalidAccessTokenError extends Error {
  override readonly name = "InvalidAccessTokenError";
}

export class WeakSigningKeyError extends Error {
  override readonly name = "WeakSigningKeyError";
}

function checkKey(key: Uint8Array): Uint8Array {
  if (key.length < MIN_KEY_BYTES) throw new WeakSigningKeyError(`the signing key must have at least ${MIN_KEY_BYTES} bytes, got ${key.length}`);
  return key;
}

export interface IssuedToken {
  readonly accessToken: string;
  readonly tokenType: "Bearer";
  readonly expiresIn: number;
}

export async function issueAccessToken(userId: string, key: Uint8Array, now: Date = new Date()): Promise<IssuedToken> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const accessToken = await new SignJWT({})
    .setProtectedHeader({ alg: ACCESS_TOKEN.algorithm, typ: "JWT" })
    .setIssuer(ACCESS_TOKEN.issuer)
    .setAudience(ACCESS_TOKEN.audience)
    .setSubject(userId)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + ACCESS_TOKEN.lifetimeSeconds)
    .setJti(randomUUID())
    .sign(checkKey(key));
  return { accessToken, tokenType: "Bearer", expiresIn: ACCESS_TOKEN.lifetimeSeconds };
}

/**
 * The user a token was issued to. Throws InvalidAccessTokenError for anything else:
 * another algorithm (`none` included), a bad signature, expired or not yet valid,
 * another issuer or audience, no subject.
 */
export async function verifyAccessToken(token: string, key: Uint8Array, now: Date = new Date()): Promise<{ userId: string; tokenId?: string }> {
  try {
    const { payload } = await jwtVerify(token, checkKey(key), {
      algorithms: [ACCESS_TOKEN.algorithm],
      issuer: ACCESS_TOKEN.issuer,
      audience: ACCESS_TOKEN.audience,
      requiredClaims: ["sub", "exp", "nbf", "iat"],
      currentDate: now,
    });
    if (typeof payload.sub !== "string" || payload.sub === "") throw new InvalidAccessTokenError("token has no subject");
    return { userId: payload.sub, ...(payload.jti ? { tokenId: payload.jti } : {}) };
  } catch (error) {
    if (error instanceof InvalidAccessTokenError) throw error;
    if (error instanceof errors.JOSEError || error instanceof TypeError) throw new InvalidAccessTokenError(`token refused: ${error instanceof errors.JOSEError ? error.code : "malformed"}`);
    throw error;
  }
}
