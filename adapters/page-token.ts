import { InvalidPageTokenError } from "./ports.ts";

/** Page tokens are the query's LastEvaluatedKey as base64url JSON; opaque to clients. */
export function encodePageToken(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

/** Decodes a token and checks it has exactly the expected string attributes, with fixed values where given. */
export function decodePageToken(token: string, expected: Record<string, string | undefined>): Record<string, string> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw new InvalidPageTokenError("nextToken is not a token this API issued");
  }
  if (typeof decoded !== "object" || decoded === null || Array.isArray(decoded)) {
    throw new InvalidPageTokenError("nextToken is not a token this API issued");
  }
  const entries = Object.entries(decoded);
  const names = Object.keys(expected);
  const valid =
    entries.length === names.length &&
    entries.every(([name, value]) => names.includes(name) && typeof value === "string" && value.length > 0 && (expected[name] === undefined || expected[name] === value));
  if (!valid) throw new InvalidPageTokenError("nextToken is not a token this API issued");
  return decoded as Record<string, string>;
}
