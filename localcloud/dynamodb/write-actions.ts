import { DynamoDbValidationError } from "./errors.ts";
import { attributeMapOf, isRecord, tableNameOf, type AttributeMap, type ItemTarget, type KeySchemas } from "./transaction-items.ts";

export type WriteKind = "Put" | "Update" | "Delete" | "ConditionCheck";

const WRITE_KINDS: readonly WriteKind[] = ["Put", "Update", "Delete", "ConditionCheck"];

/** One entry of TransactWriteItems, with the primary key of the item it touches. */
export interface WriteAction extends ItemTarget {
  readonly kind: WriteKind;
  /** The entry's own parameters (Item or Key, UpdateExpression, ConditionExpression, …). */
  readonly params: Record<string, unknown>;
  readonly returnOldItemOnFailure: boolean;
}

export async function parseWriteAction(entry: unknown, schemas: KeySchemas): Promise<WriteAction> {
  const present = isRecord(entry) ? WRITE_KINDS.filter((kind) => entry[kind] !== undefined) : [];
  const kind = present[0];
  if (kind === undefined || present.length > 1 || !isRecord(entry)) {
    throw new DynamoDbValidationError("TransactItems can only contain one of Check, Put, Update or Delete");
  }
  const params = entry[kind];
  if (!isRecord(params)) throw new DynamoDbValidationError(`Invalid ${kind} in TransactItems`);
  const tableName = tableNameOf(params);
  if (kind === "Update" && typeof params["UpdateExpression"] !== "string") {
    throw new DynamoDbValidationError("One or more parameter values were invalid: UpdateExpression must be specified");
  }
  if (kind === "ConditionCheck" && typeof params["ConditionExpression"] !== "string") {
    throw new DynamoDbValidationError("One or more parameter values were invalid: ConditionExpression must be specified");
  }
  const key =
    kind === "Put"
      ? await schemas.keyOf(tableName, attributeMapOf(params, "Item"), true)
      : await schemas.keyOf(tableName, attributeMapOf(params, "Key"), false);
  return { kind, tableName, key, params, returnOldItemOnFailure: params["ReturnValuesOnConditionCheckFailure"] === "ALL_OLD" };
}

/** The parameters a conditional write takes, copied from the entry when present. */
function conditionOf(params: Record<string, unknown>): Record<string, unknown> {
  const condition: Record<string, unknown> = {};
  for (const field of ["ConditionExpression", "ExpressionAttributeNames", "ExpressionAttributeValues"]) {
    if (params[field] !== undefined) condition[field] = params[field];
  }
  return condition;
}

/**
 * The single-item dynalite call that performs `action` only if its condition holds,
 * given the item as it was before the transaction (`before`, undefined when absent).
 * A ConditionCheck must change nothing: when the item exists it is put back as it
 * was; when it does not, deleting the missing item is a no-op. Either way dynalite
 * evaluates the condition against the current item, as DynamoDB would.
 */
export function conditionalWrite(action: WriteAction, before: AttributeMap | undefined): { operation: string; payload: unknown } {
  const { tableName: TableName, key: Key, params } = action;
  const condition = conditionOf(params);
  switch (action.kind) {
    case "Put":
      return { operation: "PutItem", payload: { TableName, Item: params["Item"], ...condition } };
    case "Update":
      // ALL_NEW: the item after the update, whose size the transaction's capacity units depend on.
      return { operation: "UpdateItem", payload: { TableName, Key, UpdateExpression: params["UpdateExpression"], ...condition, ReturnValues: "ALL_NEW" } };
    case "Delete":
      return { operation: "DeleteItem", payload: { TableName, Key, ...condition } };
    case "ConditionCheck":
      return before === undefined
        ? { operation: "DeleteItem", payload: { TableName, Key, ...condition } }
        : { operation: "PutItem", payload: { TableName, Item: before, ...condition } };
  }
}

/** The unconditional call that puts an item back as it was before the transaction. */
export function restoreWrite(target: ItemTarget, before: AttributeMap | undefined): { operation: string; payload: unknown } {
  return before === undefined
    ? { operation: "DeleteItem", payload: { TableName: target.tableName, Key: target.key } }
    : { operation: "PutItem", payload: { TableName: target.tableName, Item: before } };
}
