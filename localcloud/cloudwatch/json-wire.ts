/**
 * The AWS JSON 1.0 protocol that `@aws-sdk/client-cloudwatch` 3.11xx speaks: the operation
 * in `X-Amz-Target: GraniteServiceVersion20100801.<Operation>`, timestamps as epoch seconds,
 * errors named by `__type`, AWS's query error code in `x-amzn-query-error`.
 */
import { randomUUID } from "node:crypto";
import type { HttpRequest, HttpResponse } from "../types.ts";
import { CloudWatchError } from "./errors.ts";

const TARGET_PREFIX = "GraniteServiceVersion20100801.";
const CONTENT_TYPE = "application/x-amz-json-1.0";

export function isJsonRequest(request: HttpRequest): boolean {
  return String(request.headers["x-amz-target"] ?? "").startsWith(TARGET_PREFIX);
}

export function jsonOperation(request: HttpRequest): string {
  return String(request.headers["x-amz-target"] ?? "").slice(TARGET_PREFIX.length);
}

export function decodeJsonInput(body: Buffer): Record<string, unknown> {
  const text = body.toString("utf8");
  let input: unknown;
  try {
    input = text.trim() === "" ? {} : JSON.parse(text);
  } catch (error) {
    throw new CloudWatchError("SerializationException", error instanceof Error ? error.message : "The body is not JSON");
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) throw new CloudWatchError("SerializationException", "The body must be a JSON object");
  return input as Record<string, unknown>;
}

export function jsonResult(output: Record<string, unknown>): HttpResponse {
  const body = JSON.stringify(output, function (key, value: unknown) {
    // JSON.stringify has already turned a Date into its ISO text; the protocol wants epoch seconds.
    const raw = (this as Record<string, unknown>)[key];
    return raw instanceof Date ? raw.getTime() / 1000 : value;
  });
  return { statusCode: 200, headers: { "content-type": CONTENT_TYPE, "x-amzn-requestid": randomUUID() }, body };
}

export function jsonError(error: CloudWatchError): HttpResponse {
  return {
    statusCode: error.statusCode,
    headers: { "content-type": CONTENT_TYPE, "x-amzn-requestid": randomUUID(), "x-amzn-query-error": `${error.code};Sender` },
    body: JSON.stringify({ __type: `com.amazonaws.cloudwatch#${error.shape}`, message: error.message }),
  };
}
