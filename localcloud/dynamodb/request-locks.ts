import type { LockRequest } from "./lock-table.ts";
import { isRecord, type AttributeMap, type KeySchemas } from "./transaction-items.ts";

/*
 * Lock names. Their prefixes order them: the service lock first, then tables, items and
 * client tokens, so every request takes them in the same order (see LockTable).
 */

/** Shared by every request; exclusive for operations that change tables themselves, and for stopping. */
export const SERVICE_LOCK = "0 service";

export function tableLock(tableName: string): string {
  return `1 table ${tableName}`;
}

/**
 * `key` holds the key attributes in the table's schema order, so equal keys give equal
 * names. Number key values are compared as written: `{"N":"1"}` and `{"N":"1.0"}` name one
 * item in DynamoDB but two locks here (the brokerage's keys are all strings).
 */
export function itemLock(tableName: string, key: AttributeMap): string {
  return `2 item ${JSON.stringify([tableName, key])}`;
}

export function clientTokenLock(token: string): string {
  return `3 token ${token}`;
}

/** Operations that create, change or delete tables: they run alone. */
export const TABLE_ADMIN_OPERATIONS = new Set(["CreateTable", "DeleteTable", "UpdateTable"]);

/** What a request forwarded to dynalite must hold besides the service lock, shared. */
export type ForwardedLocks = { readonly kind: "locks"; readonly locks: LockRequest[] } | { readonly kind: "alone" };

const ALONE: ForwardedLocks = { kind: "alone" };

/**
 * The locks a single-item or batch request needs, so that it never lands in the middle
 * of a write transaction and a transaction never lands in the middle of it:
 *
 * - GetItem reads its item shared; PutItem, UpdateItem and DeleteItem hold it exclusively,
 *   as does BatchWriteItem for each item it writes (each write is atomic on its own);
 * - Query and Scan read their table, BatchGetItem each of its tables, in "read" mode,
 *   which write transactions on the table exclude;
 * - table operations run alone; so does a request whose items cannot be told (it is
 *   malformed and dynalite will refuse it, but the lock must be right even so);
 * - anything else (DescribeTable, ListTables, tags, …) needs nothing more.
 */
export async function locksForForwarded(operation: string, input: unknown, schemas: KeySchemas): Promise<ForwardedLocks> {
  if (TABLE_ADMIN_OPERATIONS.has(operation)) return ALONE;
  if (!isRecord(input)) return isItemOperation(operation) ? ALONE : { kind: "locks", locks: [] };
  try {
    switch (operation) {
      case "GetItem":
        return { kind: "locks", locks: [await itemRequest(input, "Key", "shared", schemas)] };
      case "PutItem":
        return { kind: "locks", locks: [await itemRequest(input, "Item", "exclusive", schemas)] };
      case "UpdateItem":
      case "DeleteItem":
        return { kind: "locks", locks: [await itemRequest(input, "Key", "exclusive", schemas)] };
      case "BatchWriteItem":
        return { kind: "locks", locks: await batchWriteRequests(input, schemas) };
      case "Query":
      case "Scan":
        return { kind: "locks", locks: [{ name: tableLock(stringField(input, "TableName")), mode: "read" }] };
      case "BatchGetItem":
        return { kind: "locks", locks: Object.keys(recordField(input, "RequestItems")).map((table) => ({ name: tableLock(table), mode: "read" })) };
      default:
        return { kind: "locks", locks: [] };
    }
  } catch {
    return ALONE;
  }
}

function isItemOperation(operation: string): boolean {
  return ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "Query", "Scan", "BatchGetItem"].includes(operation);
}

class UnlockableRequest extends Error {}

function stringField(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (typeof value !== "string") throw new UnlockableRequest(field);
  return value;
}

function recordField(input: Record<string, unknown>, field: string): Record<string, unknown> {
  const value = input[field];
  if (!isRecord(value)) throw new UnlockableRequest(field);
  return value;
}

async function itemRequest(
  input: Record<string, unknown>,
  field: "Key" | "Item",
  mode: "shared" | "exclusive",
  schemas: KeySchemas,
): Promise<LockRequest> {
  const tableName = stringField(input, "TableName");
  const key = await schemas.keyOf(tableName, recordField(input, field), field === "Item");
  return { name: itemLock(tableName, key), mode };
}

async function batchWriteRequests(input: Record<string, unknown>, schemas: KeySchemas): Promise<LockRequest[]> {
  const requests: LockRequest[] = [];
  for (const [tableName, writes] of Object.entries(recordField(input, "RequestItems"))) {
    if (!Array.isArray(writes)) throw new UnlockableRequest(tableName);
    for (const write of writes) {
      if (!isRecord(write)) throw new UnlockableRequest(tableName);
      const put = write["PutRequest"];
      const remove = write["DeleteRequest"];
      const key = isRecord(put)
        ? await schemas.keyOf(tableName, recordField(put, "Item"), true)
        : await schemas.keyOf(tableName, recordField(isRecord(remove) ? remove : {}, "Key"), false);
      requests.push({ name: itemLock(tableName, key), mode: "exclusive" });
    }
  }
  return requests;
}
