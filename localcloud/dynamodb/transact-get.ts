import { itemSize, readUnits } from "../metering/capacity-units.ts";
import type { HttpResponse } from "../types.ts";
import type { AuthHeaders, DynaliteBackend } from "./dynalite-backend.ts";
import { DynamoDbValidationError } from "./errors.ts";
import { jsonResponse } from "./json-response.ts";
import { itemLock } from "./request-locks.ts";
import type { TransactionContext } from "./transaction-context.ts";
import {
  assertDistinctItems,
  attributeMapOf,
  consumedCapacity,
  isRecord,
  KeySchemas,
  tableNameOf,
  transactItemsOf,
  type ItemTarget,
} from "./transaction-items.ts";

interface GetAction extends ItemTarget {
  readonly params: Record<string, unknown>;
}

/**
 * TransactGetItems as consistent GetItems holding all their items' locks shared: a write
 * transaction holds its items' locks exclusively from before its first write until after
 * its last, so these reads never see one half-applied.
 */
export async function transactGetItems(
  { backend, locks, keySchemas }: TransactionContext,
  input: unknown,
  auth: AuthHeaders,
): Promise<HttpResponse> {
  const schemas = new KeySchemas(keySchemas, auth);
  const actions = await Promise.all(transactItemsOf(input).map((entry) => parseGetAction(entry, schemas)));
  assertDistinctItems(actions);

  const itemLocks = actions.map((action) => ({ name: itemLock(action.tableName, action.key), mode: "shared" as const }));
  const responses = await locks.withLocks(itemLocks, () => Promise.all(actions.map((action) => readItem(backend, action, auth))));
  const units = actions.map((action, index) => ({
    tableName: action.tableName,
    readUnits: readUnits(itemSize(itemOf(responses[index])), "transactional"),
    writeUnits: 0,
  }));
  return jsonResponse(200, { Responses: responses, ...consumedCapacity(input, units) });
}

async function parseGetAction(entry: unknown, schemas: KeySchemas): Promise<GetAction> {
  const params = isRecord(entry) ? entry["Get"] : undefined;
  if (!isRecord(params)) throw new DynamoDbValidationError("TransactItems can only contain Get");
  const tableName = tableNameOf(params);
  return { tableName, key: await schemas.keyOf(tableName, attributeMapOf(params, "Key"), false), params };
}

async function readItem(backend: DynaliteBackend, action: GetAction, auth: AuthHeaders): Promise<Record<string, unknown>> {
  const request: Record<string, unknown> = { TableName: action.tableName, Key: action.key, ConsistentRead: true };
  for (const field of ["ProjectionExpression", "ExpressionAttributeNames"]) {
    if (action.params[field] !== undefined) request[field] = action.params[field];
  }
  const answer = await backend.call("GetItem", request, auth);
  return isRecord(answer["Item"]) ? { Item: answer["Item"] } : {};
}

function itemOf(response: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const item = response?.["Item"];
  return isRecord(item) ? item : undefined;
}
