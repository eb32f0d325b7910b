/**
 * `GET /_localcloud/metrics` (the meter's snapshot as JSON) and
 * `POST /_localcloud/metrics/reset`, plus the hook every request passes through.
 */
import { parseExecuteApiTarget } from "../apigateway/execute-api-url.ts";
import type { HttpRequest, HttpResponse } from "../types.ts";
import { meterDynamoDb } from "./dynamodb-metering.ts";
import type { UsageMeter } from "./usage-meter.ts";

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

/**
 * Passes one request for `service` to `handle`, metering it: DynamoDB by the units it
 * consumed, API Gateway by the execute-api requests. SQS and Lambda are metered where
 * every caller's calls pass, in-process ones included (SqsBackend, the event-source
 * client, runInvocation).
 */
export function meterRequest(
  meter: UsageMeter,
  service: string,
  request: HttpRequest,
  handle: (request: HttpRequest) => Promise<HttpResponse>,
): Promise<HttpResponse> {
  if (service === "dynamodb") return meterDynamoDb(meter, request, handle);
  if (service === "apigateway") {
    const target = parseExecuteApiTarget(request);
    if (target !== undefined) meter.apiRequest(target.apiId, target.stage);
  }
  return handle(request);
}
