/**
 * Counts what the local cloud was asked to do, the way AWS bills it, from the calls
 * actually made: DynamoDB request units by table, SQS requests by queue and action,
 * Lambda invocations and GB-seconds by function, API Gateway requests by API, SNS
 * publishes by topic, EventBridge events by bus.
 * Knows nothing of what runs on it.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { FunctionConfig } from "../types.ts";
import { queueNameOf, sqsCallUsage } from "./sqs-requests.ts";
import type { PutEventsUsage } from "./sns-events-requests.ts";
import type { ApiGatewayUsageRow, DynamoDbUsageRow, EventBridgeUsageRow, LambdaUsageRow, SnsUsageRow, SqsUsageRow, UsageSnapshot } from "./usage.ts";

/** Who made a call the local cloud made itself (event-source pollers, deploys). */
export const LOCAL_CALLER = "local-cloud";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The access key id of a SigV4 Authorization header, or "anonymous". */
export function callerOfAuthorization(authorization: string | undefined): string {
  const match = authorization === undefined ? null : /Credential=([^/,\s]+)\//.exec(authorization);
  return match?.[1] ?? "anonymous";
}

/** The access key id of a SigV4-signed request, or "anonymous". */
export function callerOf(headers: IncomingHttpHeaders): string {
  const authorization = headers.authorization;
  return callerOfAuthorization(typeof authorization === "string" ? authorization : undefined);
}

/** Billed duration of one invocation: rounded up to the millisecond, as Lambda bills now. */
export function billedMilliseconds(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs));
}

export interface MeteredInvocation {
  /** The invocation ran for `durationMs` (billed whether it succeeded or not), using `cpuMs` of its sandbox's CPU. */
  ran(durationMs: number, failed: boolean, cpuMs?: number): void;
  /** It is over, run or not (a stopped pool never runs it). */
  settled(): void;
}

export class UsageMeter {
  private readonly dynamodb = new Map<string, Mutable<DynamoDbUsageRow>>();
  private readonly sqs = new Map<string, Mutable<SqsUsageRow>>();
  private readonly lambda = new Map<string, Mutable<LambdaUsageRow>>();
  private readonly apigateway = new Map<string, Mutable<ApiGatewayUsageRow>>();
  private readonly sns = new Map<string, Mutable<SnsUsageRow>>();
  private readonly eventbridge = new Map<string, Mutable<EventBridgeUsageRow>>();
  private lambdaInFlight = 0;

  dynamoDbRequest(caller: string, operation: string, table: string, units: { read: number; write: number }): void {
    const row = rowFor(this.dynamodb, [caller, table, operation], () => ({ caller, table, operation, requests: 0, readUnits: 0, writeUnits: 0 }));
    row.requests++;
    row.readUnits += units.read;
    row.writeUnits += units.write;
  }

  /** Units consumed on another table by a request already counted (BatchGetItem, transactions over several tables). */
  dynamoDbUnits(caller: string, operation: string, table: string, units: { read: number; write: number }): void {
    const row = rowFor(this.dynamodb, [caller, table, operation], () => ({ caller, table, operation, requests: 0, readUnits: 0, writeUnits: 0 }));
    row.readUnits += units.read;
    row.writeUnits += units.write;
  }

  /** One successful SQS call, in the JSON protocol's shapes. */
  sqsCall(caller: string, action: string, input: Record<string, unknown>, output: Record<string, unknown>): void {
    const queue = queueNameOf(input);
    const usage = sqsCallUsage(action, input, output);
    const fifo = queue.endsWith(".fifo");
    const entry = rowFor(this.sqs, [caller, queue, action], () => ({ caller, queue, fifo, action, requests: 0, billedRequests: 0, messages: 0, emptyReceives: 0 }));
    entry.requests++;
    entry.billedRequests += usage.billedRequests;
    entry.messages += usage.messages;
    if (usage.emptyReceive) entry.emptyReceives++;
  }

  /** A failed SQS call: still one request. */
  sqsFailedCall(caller: string, action: string, input: Record<string, unknown>): void {
    const queue = queueNameOf(input);
    const entry = rowFor(this.sqs, [caller, queue, action], () => ({ caller, queue, fifo: queue.endsWith(".fifo"), action, requests: 0, billedRequests: 0, messages: 0, emptyReceives: 0 }));
    entry.requests++;
    entry.billedRequests++;
  }

  invocationStarted(config: FunctionConfig): MeteredInvocation {
    this.lambdaInFlight++;
    let settled = false;
    return {
      ran: (durationMs, failed, cpuMs = 0) => {
        const { functionName, displayName, memorySizeMb } = config;
        const architecture = config.architecture ?? "x86_64";
        const entry = rowFor(this.lambda, [functionName, String(memorySizeMb), architecture], () => ({
          functionName,
          displayName,
          memorySizeMb,
          architecture,
          invocations: 0,
          errors: 0,
          billedMs: 0,
          gbSeconds: 0,
          cpuMs: 0,
        }));
        const billed = billedMilliseconds(durationMs);
        entry.invocations++;
        if (failed) entry.errors++;
        entry.billedMs += billed;
        entry.gbSeconds += (billed / 1000) * (memorySizeMb / 1024);
        entry.cpuMs = (entry.cpuMs ?? 0) + cpuMs;
      },
      settled: () => {
        if (settled) return;
        settled = true;
        this.lambdaInFlight--;
      },
    };
  }

  apiRequest(apiId: string, stage: string): void {
    rowFor(this.apigateway, [apiId, stage], () => ({ apiId, stage, requests: 0 })).requests++;
  }

  /** One successful Publish or PublishBatch: `messages` published, billed as `billedRequests`. */
  snsPublish(caller: string, topic: string, action: string, messages: number, billedRequests: number): void {
    const row = rowFor(this.sns, [caller, topic, action], () => ({ caller, topic, fifo: topic.endsWith(".fifo"), action, requests: 0, messages: 0, billedRequests: 0 }));
    row.requests++;
    row.messages += messages;
    row.billedRequests += billedRequests;
  }

  /** One successful PutEvents call, by the buses its events went to. */
  putEvents(caller: string, usage: readonly PutEventsUsage[]): void {
    for (const { bus, events, billedEvents } of usage) {
      const row = rowFor(this.eventbridge, [caller, bus], () => ({ caller, bus, requests: 0, events: 0, billedEvents: 0 }));
      row.requests++;
      row.events += events;
      row.billedEvents += billedEvents;
    }
  }

  snapshot(now: Date = new Date()): UsageSnapshot {
    const rows = <T>(map: Map<string, T>): T[] => [...map.values()].map((entry) => ({ ...entry }));
    return {
      takenAt: now.toISOString(),
      dynamodb: rows(this.dynamodb),
      sqs: rows(this.sqs),
      lambda: rows(this.lambda),
      apigateway: rows(this.apigateway),
      sns: rows(this.sns),
      eventbridge: rows(this.eventbridge),
      inFlight: { lambdaInvocations: this.lambdaInFlight },
    };
  }

  /** Forgets every counter (gauges stay). */
  reset(): void {
    this.dynamodb.clear();
    this.sqs.clear();
    this.lambda.clear();
    this.apigateway.clear();
    this.sns.clear();
    this.eventbridge.clear();
  }
}

function rowFor<T>(map: Map<string, T>, key: readonly string[], create: () => T): T {
  const id = key.join("\u0000");
  let entry = map.get(id);
  if (entry === undefined) {
    entry = create();
    map.set(id, entry);
  }
  return entry;
}
