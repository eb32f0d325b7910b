/**
 * Meters DynamoDB requests on their way through the endpoint. Every data-plane request
 * is sent on with `ReturnConsumedCapacity: "TOTAL"`, so the emulator reports the units
 * it consumed with the whole item sizes it saw (the larger of the old and new item for
 * a write, the items read for a Query or Scan); that field is taken out of the answer
 * again when the client did not ask for it.
 *
 * - GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan, BatchGetItem, BatchWriteItem:
 *   units as dynalite computes them (the AWS rules of capacity-units.ts; dynalite counts
 *   a string by its UTF-16 length and rounds a Query's or Scan's items together, so a
 *   page costs 1 unit per 4 KB of all items read, not per item).
 * - An empty Query or Scan page is counted as one read (half when eventually
 *   consistent), as for a missing item; dynalite reports 0.
 * - TransactWriteItems and TransactGetItems: units from the local cloud's own
 *   transaction layer (2 per 1 KB written, 2 per 4 KB read, see capacity-units.ts).
 * - A conditional PutItem, UpdateItem or DeleteItem whose condition fails costs 1 write
 *   unit here; AWS charges by the size of the existing item, at least 1.
 * - A cancelled transaction, or any other error answer, is counted as a request with
 *   no units.
 */
import { crc32 } from "node:zlib";
import type { HttpRequest, HttpResponse } from "../types.ts";
import { callerOf, type UsageMeter } from "./usage-meter.ts";

const READS = new Set(["GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"]);
const WRITES = new Set(["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"]);
const CONDITIONAL_SINGLE_WRITES = new Set(["PutItem", "UpdateItem", "DeleteItem"]);

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parse(body: Buffer | string | undefined): JsonObject | undefined {
  if (body === undefined || body.length === 0) return undefined;
  try {
    const value: unknown = JSON.parse(body.toString());
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The table a request names first (for counting it once, and for errors). */
function firstTable(input: JsonObject): string {
  if (typeof input["TableName"] === "string") return input["TableName"];
  if (isObject(input["RequestItems"])) return Object.keys(input["RequestItems"])[0] ?? "";
  const items = input["TransactItems"];
  if (Array.isArray(items) && isObject(items[0])) {
    const action = Object.values(items[0]).find(isObject);
    if (action && typeof action["TableName"] === "string") return action["TableName"];
  }
  return "";
}

interface TableUnits {
  readonly table: string;
  readonly read: number;
  readonly write: number;
}

function unitsOf(operation: string, input: JsonObject, consumed: unknown): TableUnits[] {
  const entries = (Array.isArray(consumed) ? consumed : [consumed]).filter(isObject);
  return entries.map((entry) => {
    const table = typeof entry["TableName"] === "string" ? entry["TableName"] : firstTable(input);
    const total = Number(entry["CapacityUnits"] ?? 0);
    if (typeof entry["ReadCapacityUnits"] === "number" || typeof entry["WriteCapacityUnits"] === "number") {
      return { table, read: Number(entry["ReadCapacityUnits"] ?? 0), write: Number(entry["WriteCapacityUnits"] ?? 0) };
    }
    if (READS.has(operation)) {
      const minimum = operation === "Query" || operation === "Scan" ? (input["ConsistentRead"] === true ? 1 : 0.5) : 0;
      return { table, read: Math.max(total, minimum), write: 0 };
    }
    return { table, read: 0, write: total };
  });
}

/** Sends a DynamoDB request to `handle`, metering what it consumed. */
export async function meterDynamoDb(meter: UsageMeter, request: HttpRequest, handle: (request: HttpRequest) => Promise<HttpResponse>): Promise<HttpResponse> {
  const target = request.headers["x-amz-target"];
  const operation = typeof target === "string" ? target.slice(target.indexOf(".") + 1) : "";
  if (!READS.has(operation) && !WRITES.has(operation)) return handle(request);
  const input = parse(request.body);
  if (input === undefined) return handle(request);
  const asked = input["ReturnConsumedCapacity"] === "TOTAL" || input["ReturnConsumedCapacity"] === "INDEXES";
  const forwarded = asked ? request : { ...request, body: Buffer.from(JSON.stringify({ ...input, ReturnConsumedCapacity: "TOTAL" })) };
  const response = await handle(forwarded);
  const caller = callerOf(request.headers);
  const output = parse(response.body);

  if (response.statusCode !== 200 || output === undefined) {
    const type = typeof output?.["__type"] === "string" ? output["__type"] : "";
    const conditionFailed = CONDITIONAL_SINGLE_WRITES.has(operation) && type.endsWith("#ConditionalCheckFailedException");
    meter.dynamoDbRequest(caller, operation, firstTable(input), { read: 0, write: conditionFailed ? 1 : 0 });
    return response;
  }
  const units = unitsOf(operation, input, output["ConsumedCapacity"]);
  if (units.length === 0) meter.dynamoDbRequest(caller, operation, firstTable(input), { read: 0, write: 0 });
  units.forEach((entry, index) => {
    if (index === 0) meter.dynamoDbRequest(caller, operation, entry.table, entry);
    else meter.dynamoDbUnits(caller, operation, entry.table, entry);
  });
  if (asked) return response;
  const { ConsumedCapacity: _metered, ...answer } = output;
  const body = Buffer.from(JSON.stringify(answer));
  return { ...response, headers: { ...response.headers, "x-amz-crc32": String(crc32(body)) }, body };
}
