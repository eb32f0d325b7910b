/** KMS's JSON 1.1 wire format: reading request members as KMS validates them, and its answers. */
import type { EncryptionContext } from "./ciphertext.ts";
import { KmsOperationError, KmsValidationError } from "./errors.ts";

export type Input = Record<string, unknown>;

const DATA_KEY_BYTES: Readonly<Record<string, number>> = { AES_256: 32, AES_128: 16 };

export function dataKeyBytes(input: Input): number {
  const spec = input["KeySpec"];
  const hasBytes = input["NumberOfBytes"] !== undefined;
  if ((spec === undefined) === !hasBytes) throw new KmsValidationError("Please specify either number of bytes or key spec.");
  if (hasBytes) return boundedInteger(input, "NumberOfBytes", 1, 1024);
  const bytes = typeof spec === "string" ? DATA_KEY_BYTES[spec] : undefined;
  if (bytes === undefined) throw new KmsValidationError(`1 validation error detected: Value '${String(spec)}' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]`);
  return bytes;
}

const fieldName = (field: string): string => field.charAt(0).toLowerCase() + field.slice(1);

export function requiredString(input: Input, field: string): string {
  const value = input[field];
  if (typeof value !== "string" || value === "") throw new KmsValidationError(`1 validation error detected: Value null at '${fieldName(field)}' failed to satisfy constraint: Member must not be null`);
  return value;
}

export function optionalString(input: Input, field: string): string | undefined {
  return input[field] === undefined ? undefined : requiredString(input, field);
}

/** A blob field: base64 in JSON, as the SDK sends Uint8Array members. */
export function blob(input: Input, field: string): Buffer {
  const bytes = Buffer.from(requiredString(input, field), "base64");
  if (bytes.length === 0) throw new KmsValidationError(`1 validation error detected: Value at '${fieldName(field)}' failed to satisfy constraint: Member must have length greater than or equal to 1`);
  return bytes;
}

export function context(input: Input, field: string): EncryptionContext {
  const value = input[field];
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value) || Object.values(value).some((item) => typeof item !== "string")) {
    throw new KmsValidationError(`${field} must map strings to strings.`);
  }
  return value as EncryptionContext;
}

export function boundedInteger(input: Input, field: string, min: number, max: number): number {
  const value = input[field];
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new KmsValidationError(`1 validation error detected: Value '${String(value)}' at '${fieldName(field)}' failed to satisfy constraint: Member must have value between ${min} and ${max}`);
  }
  return value;
}

/** ListKeys' and ListAliases' Limit and Marker (an offset here). */
export function page<T>(items: readonly T[], input: Input, member: string): Record<string, unknown> {
  const limit = input["Limit"] === undefined ? 100 : boundedInteger(input, "Limit", 1, 1000);
  const start = input["Marker"] === undefined ? 0 : Number(input["Marker"]);
  if (!Number.isInteger(start) || start < 0) throw new KmsOperationError("InvalidMarkerException", "The marker is not one this service gave out.");
  const end = start + limit;
  return { [member]: items.slice(start, end), Truncated: end < items.length, ...(end < items.length ? { NextMarker: String(end) } : {}) };
}

