/**
 * `GET /_localcloud/metrics` (the meter's snapshot as JSON) and
 * `POST /_localcloud/metrics/reset`, plus the hook every request passes through.
 */
import { parseExecuteApiTarget } from "../apigateway/execute-api-url.ts";
import { queryParameters } from "../query-protocol.ts";
import { messageIdsOf, publishedEntries } from "../sns/publish-entries.ts";
import type { HttpRequest, HttpResponse } from "../types.ts";
import { meterDynamoDb } from "./dynamodb-metering.ts";
import { putEventsUsage, snsBilledRequests, topicNameOf } from "./sns-events-requests.ts";
import { callerOf, type UsageMeter } from "./usage-meter.ts";

export const METRICS_PATH = "/_localcloud/metrics";

/** The metrics endpoints' answer, or undefined when the request is for something else. */
export function metricsResponse(meter: UsageMeter, request: HttpRequest): HttpResponse | undefined {
  const path = request.url.split("?")[0] ?? "";
  const json = (value: unknown): HttpResponse => ({ statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(value) });
  if (path === METRICS_PATH && request.method === "GET") return json(meter.snapshot());
  if (path === `${METRICS_PATH}/reset` && request.method === "POST") {
    meter.reset();
    return json({ reset: true });
  }
  return undefined;
}

/** Meters a successful Publish or PublishBatch by the messages fauxqs took. */
async function meterSns(meter: UsageMeter, request: HttpRequest, handle: (request: HttpRequest) => Promise<HttpResponse>): Promise<HttpResponse> {
  const response = await handle(request);
  const params = queryParameters(request);
  const action = params.get("Action") ?? "";
  if (response.statusCode !== 200 || (action !== "Publish" && action !== "PublishBatch")) return response;
  const ids = messageIdsOf(action, typeof response.body === "string" ? response.body : String(response.body ?? ""));
  const published = publishedEntries(action, params).filter((entry) => ids.has(entry.id));
  meter.snsPublish(callerOf(request.headers), topicNameOf(params.get("TopicArn") ?? params.get("TargetArn")), action, published.length, snsBilledRequests(published));
  return response;
}

/** Meters a successful PutEvents by the events it put on each bus. */
async function meterEvents(meter: UsageMeter, request: HttpRequest, handle: (request: HttpRequest) => Promise<HttpResponse>): Promise<HttpResponse> {
  const response = await handle(request);
  const target = String(request.headers["x-amz-target"] ?? "");
  if (response.statusCode !== 200 || target !== "AWSEvents.PutEvents") return response;
  try {
    const input = JSON.parse(request.body.toString("utf8")) as Record<string, unknown>;
    const output = JSON.parse(String(response.body ?? "{}")) as Record<string, unknown>;
    meter.putEvents(callerOf(request.headers), putEventsUsage(input, output));
  } catch {
    // An answer that is not JSON put nothing to count.
  }
  return response;
}

/**
 * Passes one request for `service` to `handle`, metering it: DynamoDB by the units it
 * consumed, API Gateway by the execute-api requests, SNS by the messages published,
 * EventBridge by the events put. SQS and Lambda are metered where every caller's calls
 * pass, in-process ones included (SqsBackend, the event-source client, runInvocation).
 */
export function meterRequest(
  meter: UsageMeter,
  service: string,
  request: HttpRequest,
  handle: (request: HttpRequest) => Promise<HttpResponse>,
): Promise<HttpResponse> {
  if (service === "dynamodb") return meterDynamoDb(meter, request, handle);
  if (service === "sns") return meterSns(meter, request, handle);
  if (service === "events") return meterEvents(meter, request, handle);
  if (service === "apigateway") {
    const target = parseExecuteApiTarget(request);
    if (target !== undefined) meter.apiRequest(target.apiId, target.stage);
  }
  return handle(request);
}
