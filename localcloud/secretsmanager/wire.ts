/** Secrets Manager's JSON 1.1 wire format: reading request members as it validates them, and its answers. */
import { InvalidSecretParameterError } from "./errors.ts";
import type { SecretValue } from "./secret-vault.ts";

export type Input = Record<string, unknown>;

export function requiredString(input: Input, field: string): string {
  const value = input[field];
  if (typeof value !== "string" || value === "") throw new InvalidSecretParameterError(`${field} is required and must be a non-empty string.`);
  return value;
}

export function optionalString(input: Input, field: string): string | undefined {
  const value = input[field];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new InvalidSecretParameterError(`${field} must be a string.`);
  return value;
}

/** SecretString or SecretBinary (base64 in JSON), whichever the request has. */
export function secretValue(input: Input): SecretValue {
  const secretString = optionalString(input, "SecretString");
  const secretBinary = optionalString(input, "SecretBinary");
  return { ...(secretString === undefined ? {} : { secretString }), ...(secretBinary === undefined ? {} : { secretBinary }) };
}

export function tags(input: Input): { Key: string; Value: string }[] {
  const value = input["Tags"];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InvalidSecretParameterError("Tags must be a list.");
  return value.map((tag: unknown) => {
    const { Key, Value } = (tag ?? {}) as { Key?: unknown; Value?: unknown };
    if (typeof Key !== "string" || typeof Value !== "string") throw new InvalidSecretParameterError("Each tag needs a string Key and Value.");
    return { Key, Value };
  });
}

