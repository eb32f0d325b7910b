/**
 * EventBridge event patterns: the documented core of AWS's matching. A pattern is a tree
 * of fields; each leaf is a list of alternatives, any of which may match the event's value
 * (or, for an array value, any of its elements). Alternatives are literals (exact match)
 * or one-key objects: prefix, suffix, equals-ignore-case, anything-but, numeric, exists.
 * `$or` takes a list of sub-patterns. Not implemented: wildcard, cidr, and prefix/suffix
 * with equals-ignore-case inside them.
 */
import { EventsOperationError } from "./errors.ts";

export type Pattern = { readonly [field: string]: Pattern | readonly unknown[] };

export class InvalidEventPatternError extends EventsOperationError {
  override readonly name = "InvalidEventPatternError";

  constructor(message: string) {
    super("InvalidEventPatternException", `Event pattern is not valid. Reason: ${message}`);
  }
}

const OPERATORS = new Set(["prefix", "suffix", "equals-ignore-case", "anything-but", "numeric", "exists"]);
const COMPARISONS = new Set(["<", "<=", "=", ">=", ">"]);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Parses and checks a pattern's text, as PutRule does; throws InvalidEventPatternError. */
export function parseEventPattern(text: string): Pattern {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidEventPatternError("the pattern is not valid JSON");
  }
  if (!isObject(parsed)) throw new InvalidEventPatternError("the pattern must be a JSON object");
  validate(parsed, "");
  return parsed as Pattern;
}

function validate(pattern: Record<string, unknown>, path: string): void {
  for (const [field, value] of Object.entries(pattern)) {
    const here = path ? `${path}.${field}` : field;
    if (field === "$or") {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isObject)) throw new InvalidEventPatternError(`${here} must be a list of at least two patterns`);
      for (const alternative of value) validate(alternative, path);
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw new InvalidEventPatternError(`${here} must not be an empty list`);
      for (const alternative of value) validateAlternative(alternative, here);
    } else if (isObject(value)) {
      validate(value, here);
    } else {
      throw new InvalidEventPatternError(`match value of ${here} must be a list or an object`);
    }
  }
}

function validateAlternative(alternative: unknown, path: string): void {
  if (!isObject(alternative)) return;
  const keys = Object.keys(alternative);
  const operator = keys[0];
  if (keys.length !== 1 || operator === undefined || !OPERATORS.has(operator)) {
    throw new InvalidEventPatternError(`${path}: unrecognized match type ${keys.join(", ") || "{}"}`);
  }
  const operand = alternative[operator];
  if (operator === "exists" && typeof operand !== "boolean") throw new InvalidEventPatternError(`${path}: exists takes true or false`);
  if ((operator === "prefix" || operator === "suffix" || operator === "equals-ignore-case") && typeof operand !== "string") {
    throw new InvalidEventPatternError(`${path}: ${operator} takes a string`);
  }
  if (operator === "numeric") numericRanges(operand, path);
  if (operator === "anything-but" && isObject(operand)) {
    const inner = Object.keys(operand);
    if (inner.length !== 1 || !["prefix", "suffix"].includes(inner[0] ?? "")) throw new InvalidEventPatternError(`${path}: anything-but takes a value, a list, or a prefix or suffix`);
  }
}

function numericRanges(operand: unknown, path: string): Array<[string, number]> {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0 || operand.length > 4) {
    throw new InvalidEventPatternError(`${path}: numeric takes one or two comparisons, e.g. [">", 0, "<=", 5]`);
  }
  const pairs: Array<[string, number]> = [];
  for (let index = 0; index < operand.length; index += 2) {
    const comparison = operand[index];
    const bound = operand[index + 1];
    if (typeof comparison !== "string" || !COMPARISONS.has(comparison) || typeof bound !== "number") {
      throw new InvalidEventPatternError(`${path}: numeric comparison ${String(comparison)} ${String(bound)} is not valid`);
    }
    pairs.push([comparison, bound]);
  }
  return pairs;
}

/** Whether an event (its JSON, with `detail` as an object) matches a parsed pattern. */
export function matchesEventPattern(pattern: Pattern, event: unknown): boolean {
  return matchesObject(pattern as Record<string, unknown>, event);
}

function matchesObject(pattern: Record<string, unknown>, value: unknown): boolean {
  const fields = isObject(value) ? value : {};
  return Object.entries(pattern).every(([field, expected]) => {
    if (field === "$or") return (expected as Record<string, unknown>[]).some((alternative) => matchesObject(alternative, value));
    const actual = fields[field];
    if (Array.isArray(expected)) return matchesLeaf(expected, actual, field in fields);
    // A nested pattern over a missing field sees every leaf as absent.
    return matchesObject(expected as Record<string, unknown>, actual);
  });
}

function matchesLeaf(alternatives: readonly unknown[], actual: unknown, present: boolean): boolean {
  const values = Array.isArray(actual) ? actual : [actual];
  return alternatives.some((alternative) => {
    if (isObject(alternative) && "exists" in alternative) {
      const exists = present && !(Array.isArray(actual) && actual.length === 0) && !isObject(actual);
      return alternative["exists"] === exists;
    }
    if (!present) return false;
    return values.some((value) => matchesValue(alternative, value));
  });
}

function matchesValue(alternative: unknown, value: unknown): boolean {
  if (!isObject(alternative)) return alternative === value;
  const [operator, operand] = Object.entries(alternative)[0] ?? [];
  switch (operator) {
    case "prefix":
      return typeof value === "string" && value.startsWith(String(operand));
    case "suffix":
      return typeof value === "string" && value.endsWith(String(operand));
    case "equals-ignore-case":
      return typeof value === "string" && value.toLowerCase() === String(operand).toLowerCase();
    case "numeric":
      return typeof value === "number" && numericRanges(operand, "").every(([comparison, bound]) => compare(value, comparison, bound));
    case "anything-but":
      return anythingBut(operand, value);
    default:
      return false;
  }
}

function compare(value: number, comparison: string, bound: number): boolean {
  switch (comparison) {
    case "<": return value < bound;
    case "<=": return value <= bound;
    case "=": return value === bound;
    case ">=": return value >= bound;
    default: return value > bound;
  }
}

function anythingBut(operand: unknown, value: unknown): boolean {
  if (isObject(operand)) {
    if (typeof value !== "string") return false;
    if ("prefix" in operand) return !value.startsWith(String(operand["prefix"]));
    return !value.endsWith(String(operand["suffix"]));
  }
  const excluded = Array.isArray(operand) ? operand : [operand];
  return !excluded.includes(value);
}
