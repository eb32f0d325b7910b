import { SignJWT, UnsecuredJWT, decodeJwt } from "jose";
import { ACCESS_TOKEN } from "../../../domain/identity/access-token.ts";

/** Tokens an attacker (or a clock) would present: each must be refused by the API's authorizer. */

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A token signed with `key` as the API signs its own, with claims overridden (epoch seconds). */
export function signedToken(key: Uint8Array, userId: string, claims: { iat: number; nbf?: number; exp: number; iss?: string; aud?: string }): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: ACCESS_TOKEN.algorithm, typ: "JWT" })
    .setIssuer(claims.iss ?? ACCESS_TOKEN.issuer)
    .setAudience(claims.aud ?? ACCESS_TOKEN.audience)
    .setSubject(userId)
    .setIssuedAt(claims.iat)
    .setNotBefore(claims.nbf ?? claims.iat)
    .setExpirationTime(claims.exp)
    .sign(key);
}

/** The claims of a real token, unsigned: header `{"alg":"none"}` and an empty signature. */
export function algNone(realToken: string): string {
  return new UnsecuredJWT(decodeJwt(realToken)).encode();
}

/**
 * The real token with one signature character changed. Not the last one: its low
 * bits are base64 padding, and changing only those leaves the signature the same.
 */
export function tamperedSignature(realToken: string): string {
  const [header, payload, signature = ""] = realToken.split(".");
  const at = Math.floor(signature.length / 2);
  const swapped = signature[at] === "A" ? "B" : "A";
  return `${header}.${payload}.${signature.slice(0, at)}${swapped}${signature.slice(at + 1)}`;
}

/** The real token's header and signature around a payload naming another user. */
export function tamperedPayload(realToken: string, userId: string): string {
  const [header, , signature] = realToken.split(".");
  return `${header}.${base64url({ ...decodeJwt(realToken), sub: userId })}.${signature}`;
}

/** The token with HS256 swapped for HS512 in its header, signature kept. */
export function otherAlgorithm(realToken: string): string {
  const [, payload, signature] = realToken.split(".");
  return `${base64url({ alg: "HS512", typ: "JWT" })}.${payload}.${signature}`;
}
