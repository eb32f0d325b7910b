/** Reading members that arrive as strings (query protocol) or typed values (CBOR). */
import { InvalidParameterValueError, MissingParameterError } from "./errors.ts";

export type Input = Record<string, unknown>;

export function required(input: Input, name: string): unknown {
  const value = input[name];
  if (value === undefined || value === "") throw new MissingParameterError(`The parameter ${name} is required.`);
  return value;
}

export function text(input: Input, name: string): string | undefined {
  const value = input[name];
  return value === undefined ? undefined : String(value);
}

export function numberOf(value: unknown, name: string): number {
  const parsed = typeof value === "number" ? value : Number(value);
  if (value === "" || !Number.isFinite(parsed)) throw new InvalidParameterValueError(`The value ${String(value)} for parameter ${name} is not a number.`);
  return parsed;
}

/** A Date, an ISO 8601 text, or epoch seconds. */
export function dateOf(value: unknown, name: string): Date {
  if (value instanceof Date) return value;
  const date = typeof value === "number" || (typeof value === "string" && /^\d+(\.\d+)?$/.test(value)) ? new Date(Number(value) * 1000) : new Date(String(value));
  if (Number.isNaN(date.getTime())) throw new InvalidParameterValueError(`The value ${String(value)} for parameter ${name} is not a valid timestamp.`);
  return date;
}

export function listOf(input: Input, name: string): unknown[] {
  const value = input[name];
  return Array.isArray(value) ? value : [];
}

export function objectOf(value: unknown): Input {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Input) : {};
}

/** `[{ Name, Value }]` → a dimension map, and back. */
export function dimensionMap(list: readonly unknown[]): Record<string, string> {
  return Object.fromEntries(list.map(objectOf).map((dimension) => [String(dimension["Name"] ?? ""), String(dimension["Value"] ?? "")]));
}

export function dimensionList(dimensions: Readonly<Record<string, string>>): { Name: string; Value: string }[] {
  return Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value }));
}
