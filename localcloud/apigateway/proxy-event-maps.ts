import type { HttpRequest } from "../types.ts";
import type { RequestStamp } from "./request-identity.ts";

/** Headers API Gateway adds on the way to the function (Node gives names in lower case, so these are too). */
function forwardingHeaders(request: HttpRequest, stamp: RequestStamp): Record<string, string> {
  const host = typeof request.headers.host === "string" ? request.headers.host : "";
  return {
    "x-forwarded-for": request.sourceIp ?? "127.0.0.1",
    "x-forwarded-port": /:(\d+)$/.exec(host)?.[1] ?? "80",
    "x-forwarded-proto": "http",
    "x-amzn-trace-id": stamp.traceId,
  };
}

// Without binaryMediaTypes on the API these are the bodies that stay text; the rest travel base64.
const TEXT_TYPES = [/^text\//, /^application\/json$/, /^application\/[^;]*\+json$/, /^application\/x-www-form-urlencoded$/, /^application\/xml$/];

export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return TEXT_TYPES.some((pattern) => pattern.test(mediaType));
}

export function headerMaps(request: HttpRequest, stamp: RequestStamp): { single: Record<string, string>; multi: Record<string, string[]> } {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    const last = values[values.length - 1];
    if (last === undefined) continue;
    single[name] = last; // API Gateway keeps the last value in the single-value map
    multi[name] = values;
  }
  for (const [name, value] of Object.entries(forwardingHeaders(request, stamp))) {
    if (single[name] !== undefined) continue;
    single[name] = value;
    multi[name] = [value];
  }
  return { single, multi };
}

export function queryMaps(query: string): { single: Record<string, string>; multi: Record<string, string[]> } {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(query)) {
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { single, multi };
}
