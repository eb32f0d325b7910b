/**
 * The shape of `GET /_localcloud/metrics`: counters of what the local cloud was asked
 * to do, as AWS would bill it. Rows are keyed by their text fields and only ever grow,
 * so two snapshots can be subtracted (`diffUsage`).
 */

export interface DynamoDbUsageRow {
  /** The SigV4 access key id of the caller, or "local-cloud" for the local cloud's own calls. */
  readonly caller: string;
  readonly table: string;
  readonly operation: string;
  readonly requests: number;
  readonly readUnits: number;
  readonly writeUnits: number;
}

export interface SqsUsageRow {
  readonly caller: string;
  /** The queue's name ("" for actions on no queue, such as ListQueues). */
  readonly queue: string;
  readonly fifo: boolean;
  readonly action: string;
  /** API calls. */
  readonly requests: number;
  /** Billed requests: every 64 KB chunk of a call's payload counts as one. */
  readonly billedRequests: number;
  /** Messages sent, received or deleted by these calls. */
  readonly messages: number;
  /** ReceiveMessage calls that returned nothing. */
  readonly emptyReceives: number;
}

export interface LambdaUsageRow {
  readonly functionName: string;
  /** The function's short name (its log prefix). */
  readonly displayName: string;
  readonly memorySizeMb: number;
  /** "x86_64" or "arm64". */
  readonly architecture: string;
  readonly invocations: number;
  /** Invocations that ended in an error, a timeout or a crash (billed all the same). */
  readonly errors: number;
  /** Sum of the invocations' durations, each rounded up to the millisecond. */
  readonly billedMs: number;
  /** billedMs × memory size, in GB-seconds. */
  readonly gbSeconds: number;
  /**
   * CPU time the sandboxes spent on these invocations on this machine (not billed by AWS;
   * it shows where the local cloud's CPU goes). Absent in snapshots from before it was measured.
   */
  readonly cpuMs?: number;
}

export interface ApiGatewayUsageRow {
  readonly apiId: string;
  readonly stage: string;
  readonly requests: number;
}

export interface SnsUsageRow {
  readonly caller: string;
  /** The topic's name. */
  readonly topic: string;
  readonly fifo: boolean;
  /** "Publish" or "PublishBatch". */
  readonly action: string;
  /** API calls. */
  readonly requests: number;
  /** Messages published. */
  readonly messages: number;
  /** Billed requests: every message, and every 64 KB chunk of it, counts as one. */
  readonly billedRequests: number;
}

export interface EventBridgeUsageRow {
  readonly caller: string;
  /** The event bus's name ("default" for the account's default bus). */
  readonly bus: string;
  /** PutEvents calls that put events on this bus. */
  readonly requests: number;
  /** Events put on the bus. */
  readonly events: number;
  /** Billed custom events: every 64 KB chunk of an entry counts as one. */
  readonly billedEvents: number;
}

export interface UsageSnapshot {
  readonly takenAt: string;
  readonly dynamodb: readonly DynamoDbUsageRow[];
  readonly sqs: readonly SqsUsageRow[];
  readonly lambda: readonly LambdaUsageRow[];
  readonly apigateway: readonly ApiGatewayUsageRow[];
  /** SNS publishes. Absent in snapshots from before SNS was metered. */
  readonly sns?: readonly SnsUsageRow[];
  /** EventBridge PutEvents. Absent in snapshots from before EventBridge was metered. */
  readonly eventbridge?: readonly EventBridgeUsageRow[];
  /** Gauges, not counters: what is running right now. */
  readonly inFlight: { readonly lambdaInvocations: number };
}

type Row = Record<string, unknown>;

function keyOf(row: object): string {
  return JSON.stringify(Object.entries(row).filter(([, value]) => typeof value !== "number"));
}

function subtract<T extends object>(after: readonly T[], before: readonly T[]): T[] {
  const earlier = new Map(before.map((row) => [keyOf(row), row as Row]));
  return after
    .map((row) => {
      const base = earlier.get(keyOf(row));
      if (base === undefined) return row;
      const out: Row = { ...(row as Row) };
      for (const [name, value] of Object.entries(row as Row)) {
        // memorySizeMb is a property of the row, not a counter.
        if (typeof value === "number" && name !== "memorySizeMb") out[name] = value - (base[name] as number);
      }
      return out as T;
    })
    .filter((row) => Object.entries(row).some(([name, value]) => typeof value === "number" && name !== "memorySizeMb" && value !== 0));
}

/** What happened between two snapshots; `inFlight` is the later one's. */
export function diffUsage(after: UsageSnapshot, before: UsageSnapshot): UsageSnapshot {
  return {
    takenAt: after.takenAt,
    dynamodb: subtract(after.dynamodb, before.dynamodb),
    sqs: subtract(after.sqs, before.sqs),
    lambda: subtract(after.lambda, before.lambda),
    apigateway: subtract(after.apigateway, before.apigateway),
    sns: subtract(after.sns ?? [], before.sns ?? []),
    eventbridge: subtract(after.eventbridge ?? [], before.eventbridge ?? []),
    inFlight: after.inFlight,
  };
}
