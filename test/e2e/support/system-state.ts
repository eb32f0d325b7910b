import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { ScanCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { waitFor } from "./target.ts";

/** Every item of the tables and the depth of every queue: what a request could have written or queued. */
export interface SystemState {
  readonly items: Readonly<Record<string, readonly string[]>>;
  readonly queues: Readonly<Record<string, string>>;
}

export interface StateSources {
  readonly dynamo: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  /** Table names to read in full. */
  readonly tables: readonly string[];
  readonly queueUrls: readonly string[];
  /** Items that change by design (e.g. the sign-in guard's counters) and are left out. */
  readonly ignoreItem?: (item: Record<string, unknown>) => boolean;
}

async function scanAll(dynamo: DynamoDBDocumentClient, table: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: table, ConsistentRead: true, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** JSON with the keys sorted at every level, so equal items give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value instanceof Set) return canonicalJson([...(value as Set<unknown>)].sort());
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** What changed between two states: items gone and items new per table, and queue depths that differ. */
export function stateDifference(before: SystemState, after: SystemState): string[] {
  const lines: string[] = [];
  for (const table of new Set([...Object.keys(before.items), ...Object.keys(after.items)])) {
    const was = new Set(before.items[table] ?? []);
    const now = new Set(after.items[table] ?? []);
    for (const item of was) if (!now.has(item)) lines.push(`${table} - ${item}`);
    for (const item of now) if (!was.has(item)) lines.push(`${table} + ${item}`);
  }
  for (const [url, depth] of Object.entries(after.queues)) if (before.queues[url] !== depth) lines.push(`${url}: ${before.queues[url]} → ${depth}`);
  return lines;
}

export async function readState(sources: StateSources): Promise<SystemState> {
  const items: Record<string, string[]> = {};
  for (const table of sources.tables) {
    const kept = (await scanAll(sources.dynamo, table)).filter((item) => !sources.ignoreItem?.(item));
    items[table] = kept.map(canonicalJson).sort();
  }
  const queues: Record<string, string> = {};
  for (const url of sources.queueUrls) {
    const { Attributes = {} } = await sources.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"] }),
    );
    queues[url] = `${Attributes.ApproximateNumberOfMessages}/${Attributes.ApproximateNumberOfMessagesNotVisible}/${Attributes.ApproximateNumberOfMessagesDelayed}`;
  }
  return { items, queues };
}

const idle = (state: SystemState) => Object.values(state.queues).every((depth) => depth === "0/0/0");

/** The state once the pipeline is idle: every queue empty and two reads in a row alike. */
export async function settledState(sources: StateSources, timeoutMs = 60_000): Promise<SystemState> {
  let previous: string | undefined;
  return waitFor(
    "the tables and queues to settle",
    async () => {
      const state = await readState(sources);
      const text = JSON.stringify(state);
      const settled = idle(state) && text === previous;
      previous = text;
      return settled ? state : undefined;
    },
    timeoutMs,
    500,
  );
}
