/**
 * Password hashes: scrypt from Node's crypto, a 16-byte random salt, and the cost
 * parameters stored with the hash, so they can be raised later without breaking
 * the hashes already stored. Format: `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>`.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

export const SCRYPT_COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

export class MalformedPasswordHashError extends Error {
  override readonly name = "MalformedPasswordHashError";
}

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default cap (32 MiB) is exactly that at N=2^15, r=8.
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => scrypt(password.normalize("NFC"), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))));
}

export async function hashPassword(password: string, cost = SCRYPT_COST): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, cost);
  return ["scrypt", cost.N, cost.r, cost.p, salt.toString("base64"), key.toString("base64")].join("$");
}

function parse(stored: string): { cost: { N: number; r: number; p: number }; salt: Buffer; key: Buffer } {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  const sane = Number.isInteger(cost.N) && cost.N >= 2 ** 10 && cost.N <= 2 ** 20 && Number.isInteger(cost.r) && cost.r >= 1 && cost.r <= 32 && Number.isInteger(cost.p) && cost.p >= 1 && cost.p <= 16;
  if (scheme !== "scrypt" || !sane || !salt || !key) throw new MalformedPasswordHashError("stored password hash is not an scrypt hash of this format");
  return { cost, salt: Buffer.from(salt, "base64"), key: Buffer.from(key, "base64") };
}

/** True when the password matches the stored hash; compares in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const { cost, salt, key } = parse(stored);
  const candidate = await derive(password, salt, cost);
  return candidate.length === key.length && timingSafeEqual(candidate, key);
}

let dummy: Promise<string> | undefined;

/**
 * A hash of a random password nobody knows, made once per process. Checking an unknown
 * user's password against it costs what checking a real one does, so the answer's
 * timing does not tell whether the user exists.
 */
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(32).toString("base64"));
  return dummy;
}
