/**
 * Lambda's event source mapping calls, for the SQS mappings the local cloud runs:
 * ListEventSourceMappings (by FunctionName or EventSourceArn), GetEventSourceMapping and
 * UpdateEventSourceMapping (Enabled, BatchSize, MaximumBatchingWindowInSeconds) — so a
 * queue's consumer can be paused and resumed as on AWS:
 * `aws lambda update-event-source-mapping --uuid … --no-enabled`.
 */
import type { CloudContext, HttpRequest, HttpResponse, SqsEventSourceConfig } from "../types.ts";
import { answeringLambdaErrors, json } from "../lambda/lambda-api.ts";
import { EventSourceMappingNotFoundError, InvalidParameterValueError, UnknownOperationError } from "../lambda/errors.ts";
import { parseBody } from "../lambda/function-updates.ts";
import { functionArn } from "../lambda/lambda-environment.ts";
import type { EventSourceMappingPatch, SqsEventSourceMappings } from "./sqs-event-source-mappings.ts";

const PATH = "/2015-03-31/event-source-mappings";

export function isEventSourceMappingRequest(request: HttpRequest): boolean {
  return request.url.startsWith(PATH);
}

/** EventSourceMappingConfiguration as the API answers it. */
function configurationOf(ctx: CloudContext, mappings: SqsEventSourceMappings, config: SqsEventSourceConfig): Record<string, unknown> {
  return {
    UUID: config.uuid,
    BatchSize: config.batchSize,
    MaximumBatchingWindowInSeconds: config.maximumBatchingWindowSeconds,
    EventSourceArn: config.queueArn,
    FunctionArn: functionArn(ctx, config.functionName),
    LastModified: (mappings.lastModified(config.uuid) ?? new Date()).getTime() / 1000,
    State: config.enabled ? "Enabled" : "Disabled",
    StateTransitionReason: "USER_INITIATED",
    FunctionResponseTypes: config.reportBatchItemFailures ? ["ReportBatchItemFailures"] : [],
    ...(config.maximumConcurrency !== undefined ? { ScalingConfig: { MaximumConcurrency: config.maximumConcurrency } } : {}),
  };
}

/** A function's name from its name, ARN or partial ARN (`function:name`). */
const functionNameOf = (identifier: string): string => identifier.split(":function:").pop()?.split(":")[0] ?? identifier;

function patchOf(body: Record<string, unknown>): EventSourceMappingPatch {
  const { Enabled, BatchSize, MaximumBatchingWindowInSeconds } = body;
  if (Enabled !== undefined && typeof Enabled !== "boolean") throw new InvalidParameterValueError("Enabled must be true or false");
  if (BatchSize !== undefined && !(Number.isInteger(BatchSize) && Number(BatchSize) >= 1 && Number(BatchSize) <= 10_000)) {
    throw new InvalidParameterValueError(`BatchSize must be a whole number from 1 to 10000, got ${JSON.stringify(BatchSize)}`);
  }
  if (MaximumBatchingWindowInSeconds !== undefined && !(Number.isInteger(MaximumBatchingWindowInSeconds) && Number(MaximumBatchingWindowInSeconds) >= 0 && Number(MaximumBatchingWindowInSeconds) <= 300)) {
    throw new InvalidParameterValueError(`MaximumBatchingWindowInSeconds must be a whole number from 0 to 300, got ${JSON.stringify(MaximumBatchingWindowInSeconds)}`);
  }
  return {
    ...(Enabled !== undefined ? { enabled: Enabled } : {}),
    ...(BatchSize !== undefined ? { batchSize: Number(BatchSize) } : {}),
    ...(MaximumBatchingWindowInSeconds !== undefined ? { maximumBatchingWindowSeconds: Number(MaximumBatchingWindowInSeconds) } : {}),
  };
}

async function route(ctx: CloudContext, mappings: SqsEventSourceMappings, request: HttpRequest): Promise<HttpResponse> {
  const url = new URL(request.url, "http://localhost");
  const method = request.method.toUpperCase();
  const rest = url.pathname.slice(PATH.length).replace(/^\/|\/$/g, "");
  if (rest === "" && method === "GET") {
    const functionName = url.searchParams.get("FunctionName");
    const sourceArn = url.searchParams.get("EventSourceArn");
    const listed = mappings.list().filter((m) => (functionName === null || m.functionName === functionNameOf(functionName)) && (sourceArn === null || m.queueArn === sourceArn));
    return json(200, { EventSourceMappings: listed.map((m) => configurationOf(ctx, mappings, m)) });
  }
  if (rest !== "" && !rest.includes("/")) {
    const uuid = decodeURIComponent(rest);
    if (method === "GET") {
      const found = mappings.list().find((m) => m.uuid === uuid);
      if (found === undefined) throw new EventSourceMappingNotFoundError(uuid);
      return json(200, configurationOf(ctx, mappings, found));
    }
    if (method === "PUT") {
      const updated = await mappings.update(uuid, patchOf(parseBody(request.body) as Record<string, unknown>));
      if (updated === undefined) throw new EventSourceMappingNotFoundError(uuid);
      // AWS answers 202 while the change settles; here it has settled.
      return json(202, configurationOf(ctx, mappings, updated));
    }
  }
  throw new UnknownOperationError(method, url.pathname);
}

export function handleEventSourceMappingApi(ctx: CloudContext, mappings: SqsEventSourceMappings, request: HttpRequest): Promise<HttpResponse> {
  return answeringLambdaErrors(() => route(ctx, mappings, request));
}
