import type { AuthHeaders, DynaliteBackend } from "./dynalite-backend.ts";
import { DynamoDbValidationError, ResourceNotFoundError, UpstreamError } from "./errors.ts";

/** A DynamoDB item or key in the wire format: attribute name to `{S: "…"}`, `{N: "…"}`, … */
export type AttributeMap = Record<string, unknown>;

/** The item one transaction entry is about. */
export interface ItemTarget {
  readonly tableName: string;
  readonly key: AttributeMap;
}

export const MAX_TRANSACT_ITEMS = 100;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The request's TransactItems, checked for the length limits AWS enforces. */
export function transactItemsOf(input: unknown): unknown[] {
  const items = isRecord(input) ? input["TransactItems"] : undefined;
  if (!Array.isArray(items)) {
    throw new DynamoDbValidationError(
      "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null",
    );
  }
  if (items.length < 1 || items.length > MAX_TRANSACT_ITEMS) {
    const bound = items.length < 1 ? "greater than or equal to 1" : `less than or equal to ${MAX_TRANSACT_ITEMS}`;
    throw new DynamoDbValidationError(
      `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length ${bound}`,
    );
  }
  return items;
}

export function tableNameOf(action: Record<string, unknown>): string {
  const tableName = action["TableName"];
  if (typeof tableName !== "string" || tableName === "") {
    throw new DynamoDbValidationError("One or more parameter values were invalid: TableName must be specified");
  }
  return tableName;
}

export function attributeMapOf(action: Record<string, unknown>, field: "Key" | "Item"): AttributeMap {
  const value = action[field];
  if (!isRecord(value)) throw new DynamoDbValidationError(`One or more parameter values were invalid: ${field} must be specified`);
  return value;
}

/**
 * Every table's key attribute names, looked up once through dynalite's DescribeTable
 * and kept until a table is created, changed or deleted (`forget`). A failed lookup
 * is not kept.
 */
export class KeySchemaCache {
  private readonly byTable = new Map<string, Promise<string[]>>();

  constructor(private readonly backend: DynaliteBackend) {}

  keyNamesOf(tableName: string, auth: AuthHeaders): Promise<string[]> {
    let names = this.byTable.get(tableName);
    if (names === undefined) {
      names = this.describe(tableName, auth);
      this.byTable.set(tableName, names);
      names.catch(() => {
        if (this.byTable.get(tableName) === names) this.byTable.delete(tableName);
      });
    }
    return names;
  }

  forget(): void {
    this.byTable.clear();
  }

  private async describe(tableName: string, auth: AuthHeaders): Promise<string[]> {
    try {
      const answer = await this.backend.call("DescribeTable", { TableName: tableName }, auth);
      const table = isRecord(answer["Table"]) ? answer["Table"] : {};
      const schema = Array.isArray(table["KeySchema"]) ? table["KeySchema"] : [];
      return schema.filter(isRecord).map((element) => String(element["AttributeName"]));
    } catch (error) {
      if (error instanceof UpstreamError && error.awsType.endsWith("#ResourceNotFoundException")) throw new ResourceNotFoundError();
      throw error;
    }
  }
}

/** Tells the primary key of keys and items, for one request (with its credentials). */
export class KeySchemas {
  constructor(private readonly cache: KeySchemaCache, private readonly auth: AuthHeaders) {}

  /** The primary key of `attributes` (a key or a whole item), checked against the table's schema. */
  async keyOf(tableName: string, attributes: AttributeMap, isWholeItem: boolean): Promise<AttributeMap> {
    const keyNames = await this.cache.keyNamesOf(tableName, this.auth);
    const key: AttributeMap = {};
    for (const name of keyNames) {
      const value = attributes[name];
      if (value === undefined) {
        throw new DynamoDbValidationError(
          isWholeItem
            ? `One or more parameter values were invalid: Missing the key ${name} in the item`
            : "The provided key element does not match the schema",
        );
      }
      key[name] = value;
    }
    if (!isWholeItem && Object.keys(attributes).length !== keyNames.length) {
      throw new DynamoDbValidationError("The provided key element does not match the schema");
    }
    return key;
  }
}

/** AWS refuses a transaction that names the same item twice. */
export function assertDistinctItems(targets: readonly ItemTarget[]): void {
  const seen = new Set<string>();
  for (const target of targets) {
    // Key attributes are listed in schema order, so equal keys give equal strings.
    const identity = JSON.stringify([target.tableName, target.key]);
    if (seen.has(identity)) {
      throw new DynamoDbValidationError("Transaction request cannot include multiple operations on one item");
    }
    seen.add(identity);
  }
}

/** The units one transaction entry consumed, by the rules in localcloud/metering/capacity-units.ts. */
export interface EntryUnits {
  readonly tableName: string;
  readonly readUnits: number;
  readonly writeUnits: number;
}

/** `ConsumedCapacity` per table, when the client asked for it (transactional entries cost double, see capacity-units.ts). */
export function consumedCapacity(input: unknown, entries: readonly EntryUnits[]): { ConsumedCapacity?: Record<string, unknown>[] } {
  const wanted = isRecord(input) ? input["ReturnConsumedCapacity"] : undefined;
  if (wanted !== "TOTAL" && wanted !== "INDEXES") return {};
  const perTable = new Map<string, { read: number; write: number }>();
  for (const entry of entries) {
    const table = perTable.get(entry.tableName) ?? { read: 0, write: 0 };
    perTable.set(entry.tableName, { read: table.read + entry.readUnits, write: table.write + entry.writeUnits });
  }
  return {
    ConsumedCapacity: [...perTable].map(([TableName, { read, write }]) => ({
      TableName,
      CapacityUnits: read + write,
      ...(read > 0 ? { ReadCapacityUnits: read } : {}),
      ...(write > 0 ? { WriteCapacityUnits: write } : {}),
    })),
  };
}
