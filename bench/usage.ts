/**
 * AWS usage per order, from the local cloud's meter (`GET /_localcloud/metrics`), and
 * what it would cost at the prices in bench/aws-prices.json.
 */
import { readFileSync } from "node:fs";
import { diffUsage, type UsageSnapshot } from "../localcloud/metering/usage.ts";

export interface AwsPrices {
  readonly region: string;
  readonly currency: string;
  readonly asOf: string;
  readonly dynamodb: { readonly readRequestUnitPerMillion: number; readonly writeRequestUnitPerMillion: number };
  readonly sqs: { readonly standardRequestPerMillion: number; readonly fifoRequestPerMillion: number; readonly fifoPricedActions: readonly string[] };
  readonly lambda: { readonly requestPerMillion: number; readonly gbSecond: Readonly<Record<string, number>> };
  readonly apigateway: { readonly restRequestPerMillion: number };
  readonly sns: { readonly standardPublishRequestPerMillion: number; readonly fifoPublishRequestPerMillion: number };
  readonly eventbridge: { readonly customEventPerMillion: number };
}

export const PRICES_FILE = new URL("./aws-prices.json", import.meta.url);

export function readPrices(file: URL | string = PRICES_FILE): AwsPrices {
  return JSON.parse(readFileSync(file, "utf8")) as AwsPrices;
}

/** The meter's snapshot, or undefined when the endpoint has none (LocalStack, AWS). */
export async function fetchUsage(endpoint: string): Promise<UsageSnapshot | undefined> {
  try {
    const response = await fetch(new URL("/_localcloud/metrics", endpoint), { signal: AbortSignal.timeout(5000) });
    if (response.status !== 200) return undefined;
    const body = (await response.json()) as Partial<UsageSnapshot>;
    return Array.isArray(body.dynamodb) && Array.isArray(body.lambda) ? (body as UsageSnapshot) : undefined;
  } catch {
    return undefined;
  }
}

/** One line of the breakdown: what it is, how much per order, what it costs per million orders. */
export interface UsageLine {
  readonly service: "DynamoDB" | "SQS" | "Lambda" | "API Gateway" | "SNS" | "EventBridge";
  readonly item: string;
  readonly perOrder: number;
  readonly unit: string;
  readonly costPerMillionOrders: number;
}

export interface UsageReport {
  readonly available: true;
  readonly orders: number;
  readonly windowStartedAt: string;
  readonly windowEndedAt: string;
  /** Calls by this caller (the bench's own reads and queue sampling) are left out. */
  readonly excludedCaller: string;
  readonly perOrder: {
    readonly dynamodbReadUnits: number;
    readonly dynamodbWriteUnits: number;
    readonly dynamodbRequests: number;
    readonly sqsRequests: number;
    readonly sqsEmptyReceives: number;
    readonly lambdaInvocations: number;
    readonly lambdaGbSeconds: number;
    readonly apiRequests: number;
    /** Billed SNS publish requests (64 KB chunks of the messages published). */
    readonly snsRequests: number;
    /** Billed EventBridge custom events (64 KB chunks of the entries put). */
    readonly eventBridgeEvents: number;
  };
  readonly costPerMillionOrders: {
    readonly dynamodb: number;
    readonly sqs: number;
    readonly lambda: number;
    readonly apigateway: number;
    readonly sns: number;
    readonly eventbridge: number;
    readonly total: number;
  };
  readonly lines: readonly UsageLine[];
  readonly prices: { readonly region: string; readonly currency: string; readonly asOf: string };
  /** Lambda invocations still running when the window closed (should be 0). */
  readonly inFlightAtEnd: number;
}

export type UsageOutcome = UsageReport | { readonly available: false; readonly reason: string };

const sum = <T>(rows: readonly T[], pick: (row: T) => number): number => rows.reduce((total, row) => total + pick(row), 0);

/** Usage between two snapshots, per order, priced. */
export function usageReport(before: UsageSnapshot, after: UsageSnapshot, orders: number, prices: AwsPrices, excludedCaller: string): UsageReport {
  const diff = diffUsage(after, before);
  const dynamodb = diff.dynamodb.filter((row) => row.caller !== excludedCaller);
  const sqs = diff.sqs.filter((row) => row.caller !== excludedCaller);
  const sns = (diff.sns ?? []).filter((row) => row.caller !== excludedCaller);
  const eventbridge = (diff.eventbridge ?? []).filter((row) => row.caller !== excludedCaller);
  const per = (value: number): number => (orders > 0 ? value / orders : Number.NaN);
  const million = (perOrder: number, pricePerMillion: number): number => perOrder * pricePerMillion;
  const lines: UsageLine[] = [];

  for (const row of [...dynamodb].sort((x, y) => x.table.localeCompare(y.table) || x.operation.localeCompare(y.operation))) {
    const item = `${shortName(row.table)} ${row.operation} (${fmt(per(row.requests))} calls)`;
    const read = per(row.readUnits);
    const write = per(row.writeUnits);
    if (read > 0) lines.push({ service: "DynamoDB", item, perOrder: read, unit: "RRU", costPerMillionOrders: million(read, prices.dynamodb.readRequestUnitPerMillion) });
    if (write > 0) lines.push({ service: "DynamoDB", item, perOrder: write, unit: "WRU", costPerMillionOrders: million(write, prices.dynamodb.writeRequestUnitPerMillion) });
  }

  const fifoActions = new Set(prices.sqs.fifoPricedActions);
  for (const row of [...sqs].sort((a, b) => a.queue.localeCompare(b.queue) || a.action.localeCompare(b.action))) {
    const billed = per(row.billedRequests);
    const price = row.fifo && fifoActions.has(row.action) ? prices.sqs.fifoRequestPerMillion : prices.sqs.standardRequestPerMillion;
    const who = row.caller === "local-cloud" ? "Lambda poller" : "functions";
    const empty = row.emptyReceives > 0 ? `, ${fmt(per(row.emptyReceives))} empty` : "";
    lines.push({ service: "SQS", item: `${shortName(row.queue) || "(no queue)"} ${row.action} by ${who}${empty}`, perOrder: billed, unit: "requests", costPerMillionOrders: million(billed, price) });
  }

  for (const row of [...diff.lambda].sort((a, b) => a.displayName.localeCompare(b.displayName))) {
    const invocations = per(row.invocations);
    const gbSeconds = per(row.gbSeconds);
    const gbPrice = prices.lambda.gbSecond[row.architecture] ?? prices.lambda.gbSecond["x86_64"] ?? 0;
    lines.push({
      service: "Lambda",
      item: `${row.displayName} (${row.memorySizeMb} MB ${row.architecture}, ${fmt(per(row.billedMs))} ms per order)`,
      perOrder: invocations,
      unit: `invocations, ${fmt(gbSeconds)} GB-s`,
      costPerMillionOrders: million(invocations, prices.lambda.requestPerMillion) + gbSeconds * 1e6 * gbPrice,
    });
  }

  for (const row of [...sns].sort((a, b) => a.topic.localeCompare(b.topic) || a.action.localeCompare(b.action))) {
    const billed = per(row.billedRequests);
    const price = row.fifo ? prices.sns.fifoPublishRequestPerMillion : prices.sns.standardPublishRequestPerMillion;
    lines.push({ service: "SNS", item: `${shortName(row.topic) || "(no topic)"} ${row.action} (${fmt(per(row.messages))} messages; deliveries to SQS and Lambda free)`, perOrder: billed, unit: "requests", costPerMillionOrders: million(billed, price) });
  }

  for (const row of [...eventbridge].sort((a, b) => a.bus.localeCompare(b.bus))) {
    const billed = per(row.billedEvents);
    lines.push({ service: "EventBridge", item: `${row.bus} bus PutEvents (${fmt(per(row.events))} events in ${fmt(per(row.requests))} calls)`, perOrder: billed, unit: "custom events", costPerMillionOrders: million(billed, prices.eventbridge.customEventPerMillion) });
  }

  const apiRequests = per(sum(diff.apigateway, (row) => row.requests));
  lines.push({ service: "API Gateway", item: "REST API requests", perOrder: apiRequests, unit: "requests", costPerMillionOrders: million(apiRequests, prices.apigateway.restRequestPerMillion) });

  const costOf = (service: UsageLine["service"]) => sum(lines.filter((line) => line.service === service), (line) => line.costPerMillionOrders);
  const cost = { dynamodb: costOf("DynamoDB"), sqs: costOf("SQS"), lambda: costOf("Lambda"), apigateway: costOf("API Gateway"), sns: costOf("SNS"), eventbridge: costOf("EventBridge") };
  return {
    available: true,
    orders,
    windowStartedAt: before.takenAt,
    windowEndedAt: after.takenAt,
    excludedCaller,
    perOrder: {
      dynamodbReadUnits: per(sum(dynamodb, (row) => row.readUnits)),
      dynamodbWriteUnits: per(sum(dynamodb, (row) => row.writeUnits)),
      dynamodbRequests: per(sum(dynamodb, (row) => row.requests)),
      sqsRequests: per(sum(sqs, (row) => row.billedRequests)),
      sqsEmptyReceives: per(sum(sqs, (row) => row.emptyReceives)),
      lambdaInvocations: per(sum(diff.lambda, (row) => row.invocations)),
      lambdaGbSeconds: per(sum(diff.lambda, (row) => row.gbSeconds)),
      apiRequests,
      snsRequests: per(sum(sns, (row) => row.billedRequests)),
      eventBridgeEvents: per(sum(eventbridge, (row) => row.billedEvents)),
    },
    costPerMillionOrders: { ...cost, total: cost.dynamodb + cost.sqs + cost.lambda + cost.apigateway + cost.sns + cost.eventbridge },
    lines,
    prices: { region: prices.region, currency: prices.currency, asOf: prices.asOf },
    inFlightAtEnd: after.inFlight.lambdaInvocations,
  };
}

/** "Stack-LogicalIdA1B2C3D4-0123456789AB[.fifo]" → "Stack-LogicalId[.fifo]": CloudFormation's hashes say nothing to a reader. */
export function shortName(physical: string): string {
  return physical.replace(/[0-9A-F]{8}-[0-9A-Z]{12}(\.fifo)?$/, "$1");
}

export function fmt(value: number): string {
  if (Number.isNaN(value)) return "–";
  if (value === 0) return "0";
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

/** The Markdown section for the report. */
export function renderUsage(usage: UsageOutcome): string[] {
  if (!usage.available) return ["## AWS usage per order", "", `Metering unavailable: ${usage.reason}.`, ""];
  const p = usage.perOrder;
  const c = usage.costPerMillionOrders;
  const money = (value: number) => `$${value.toFixed(2)}`;
  return [
    "## AWS usage per order",
    "",
    `Metered by the local cloud over ${usage.orders} completed orders (${usage.windowStartedAt} → ${usage.windowEndedAt}), without the bench's own calls; ` +
      `priced at ${usage.prices.region} on-demand list prices of ${usage.prices.asOf} (bench/aws-prices.json, first tier, no free tier).` +
      (usage.inFlightAtEnd > 0 ? ` ${usage.inFlightAtEnd} invocation(s) were still running when the window closed.` : ""),
    "",
    "| Per order | DynamoDB RRU | DynamoDB WRU | DynamoDB requests | SQS requests (of them empty receives) | Lambda invocations | Lambda GB-s | API requests | SNS requests | EventBridge events |",
    "|---|---|---|---|---|---|---|---|---|---|",
    `| | ${fmt(p.dynamodbReadUnits)} | ${fmt(p.dynamodbWriteUnits)} | ${fmt(p.dynamodbRequests)} | ${fmt(p.sqsRequests)} (${fmt(p.sqsEmptyReceives)}) | ${fmt(p.lambdaInvocations)} | ${fmt(p.lambdaGbSeconds)} | ${fmt(p.apiRequests)} | ${fmt(p.snsRequests)} | ${fmt(p.eventBridgeEvents)} |`,
    "",
    `Cost per million orders: **${money(c.total)}** — DynamoDB ${money(c.dynamodb)}, SQS ${money(c.sqs)}, Lambda ${money(c.lambda)}, API Gateway ${money(c.apigateway)}, SNS ${money(c.sns)}, EventBridge ${money(c.eventbridge)}.`,
    "",
    "| Service | What | Per order | Unit | $ per million orders |",
    "|---|---|---|---|---|",
    ...usage.lines.map((line) => `| ${line.service} | ${line.item} | ${fmt(line.perOrder)} | ${line.unit} | ${line.costPerMillionOrders.toFixed(2)} |`),
    "",
  ];
}
