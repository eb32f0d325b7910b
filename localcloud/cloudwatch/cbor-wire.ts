/**
 * The Smithy RPC v2 CBOR protocol recent `@aws-sdk/client-cloudwatch` versions speak:
 * `POST /service/GraniteServiceVersion20100801/operation/<Operation>`, CBOR bodies,
 * timestamps as CBOR tag 1 (epoch seconds), errors named by `__type`.
 */
import { cbor, dateToTag } from "@smithy/core/cbor";
import type { HttpRequest, HttpResponse } from "../types.ts";
import type { CloudWatchError } from "./errors.ts";

const OPERATION_PATH = /^\/service\/GraniteServiceVersion20100801\/operation\/([A-Za-z]+)$/;

export function isCborRequest(request: HttpRequest): boolean {
  return OPERATION_PATH.test(request.url.split("?")[0] ?? "");
}

export function cborOperation(request: HttpRequest): string {
  return OPERATION_PATH.exec(request.url.split("?")[0] ?? "")?.[1] ?? "";
}

/** The input as plain values; a tagged timestamp becomes a Date. */
export function decodeCborInput(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  const decoded = untag(cbor.deserialize(new Uint8Array(body.buffer, body.byteOffset, body.byteLength)));
  return typeof decoded === "object" && decoded !== null && !Array.isArray(decoded) ? (decoded as Record<string, unknown>) : {};
}

function untag(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untag);
  if (typeof value === "object" && value !== null && !(value instanceof Uint8Array)) {
    const tagged = value as { tag?: unknown; value?: unknown };
    if (tagged.tag === 1 && typeof tagged.value === "number") return new Date(tagged.value * 1000);
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, untag(item)]));
  }
  return value;
}

function tagDates(value: unknown): unknown {
  if (value instanceof Date) return dateToTag(value);
  if (Array.isArray(value)) return value.map(tagDates);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined).map(([key, item]) => [key, tagDates(item)]));
  }
  return value;
}

const HEADERS = { "content-type": "application/cbor", "smithy-protocol": "rpc-v2-cbor" };

export function cborResult(output: Record<string, unknown>): HttpResponse {
  return { statusCode: 200, headers: HEADERS, body: Buffer.from(cbor.serialize(tagDates(output))) };
}

export function cborError(error: CloudWatchError): HttpResponse {
  const body = cbor.serialize({ __type: `com.amazonaws.cloudwatch#${error.shape}`, message: error.message });
  // The SDK takes AWS's query error code from this header, as CloudWatch is query-compatible.
  return { statusCode: error.statusCode, headers: { ...HEADERS, "x-amzn-query-error": `${error.code};Sender` }, body: Buffer.from(body) };
}
