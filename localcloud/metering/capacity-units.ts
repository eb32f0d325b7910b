/**
 * DynamoDB item sizes and request units, as on-demand tables are billed.
 *
 * Rules implemented (Amazon DynamoDB Developer Guide, "DynamoDB item sizes and formats"
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 * and "DynamoDB read and write operations"
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html):
 *
 * - An item's size is the sum of its attribute names' UTF-8 bytes and their values' sizes:
 *   a string is its UTF-8 bytes; a number about 1 byte per two significant digits plus 1
 *   (leading and trailing zeroes trimmed); a binary its raw bytes; null and boolean 1 byte;
 *   a list or map 3 bytes plus 1 byte per element plus the elements (map keys count as
 *   attribute names); sets the sum of their members.
 * - A read is rounded up to the next 4 KB: 1 unit per 4 KB when strongly consistent,
 *   half that when eventually consistent, 2 per 4 KB when transactional. Reading an
 *   item that does not exist still costs one (half, two) unit.
 * - A write is rounded up to the next 1 KB: 1 unit per 1 KB of the larger of the item
 *   before and after the write, 2 per 1 KB when transactional; at least one unit.
 *
 * Approximation: "about" in the number rule is taken literally (no per-type storage
 * format is modelled), and attribute values arrive as DynamoDB JSON (`{"S": "…"}`).
 */

export type AttributeValue = Record<string, unknown>;
export type Item = Record<string, unknown>;

export const READ_UNIT_BYTES = 4 * 1024;
export const WRITE_UNIT_BYTES = 1024;

const utf8 = (text: string): number => Buffer.byteLength(text, "utf8");

/** Bytes of a DynamoDB number: 1 per two significant digits, plus 1. */
export function numberSize(text: string): number {
  const digits = text.replace(/^[+-]/, "").toLowerCase().split("e")[0] ?? "";
  const significant = digits.replace(".", "").replace(/^0+/, "").replace(/0+$/, "");
  if (significant === "") return 1;
  return Math.ceil(significant.length / 2) + 1;
}

function binarySize(base64: unknown): number {
  return typeof base64 === "string" ? Buffer.from(base64, "base64").length : 0;
}

/** Bytes of one attribute value (without its name). */
export function valueSize(value: unknown): number {
  if (typeof value !== "object" || value === null) return 0;
  const [type, inner] = Object.entries(value as AttributeValue)[0] ?? [];
  switch (type) {
    case "S":
      return typeof inner === "string" ? utf8(inner) : 0;
    case "N":
      return typeof inner === "string" ? numberSize(inner) : 0;
    case "B":
      return binarySize(inner);
    case "BOOL":
    case "NULL":
      return 1;
    case "SS":
      return Array.isArray(inner) ? inner.reduce((sum: number, s) => sum + (typeof s === "string" ? utf8(s) : 0), 0) : 0;
    case "NS":
      return Array.isArray(inner) ? inner.reduce((sum: number, n) => sum + (typeof n === "string" ? numberSize(n) : 0), 0) : 0;
    case "BS":
      return Array.isArray(inner) ? inner.reduce((sum: number, b) => sum + binarySize(b), 0) : 0;
    case "L":
      return Array.isArray(inner) ? 3 + inner.reduce((sum: number, element) => sum + 1 + valueSize(element), 0) : 3;
    case "M":
      return typeof inner === "object" && inner !== null
        ? 3 + Object.entries(inner).reduce((sum, [name, element]) => sum + 1 + utf8(name) + valueSize(element), 0)
        : 3;
    default:
      return 0;
  }
}

/** Bytes of an item in DynamoDB JSON; 0 for a missing item. */
export function itemSize(item: Item | undefined): number {
  if (item === undefined) return 0;
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueSize(value), 0);
}

export type ReadKind = "eventual" | "strong" | "transactional";

const READ_FACTOR: Readonly<Record<ReadKind, number>> = { eventual: 0.5, strong: 1, transactional: 2 };

/** Read units for `bytes` read in one request (one item, or a Query/Scan page); a missing item costs one unit. */
export function readUnits(bytes: number, kind: ReadKind): number {
  return Math.max(1, Math.ceil(bytes / READ_UNIT_BYTES)) * READ_FACTOR[kind];
}

/** Write units for one item write, from its size before and after; a missing item costs one unit. */
export function writeUnits(beforeBytes: number, afterBytes: number, transactional = false): number {
  return Math.max(1, Math.ceil(Math.max(beforeBytes, afterBytes) / WRITE_UNIT_BYTES)) * (transactional ? 2 : 1);
}
