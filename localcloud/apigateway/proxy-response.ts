import type { HttpResponse, InvokeResult } from "../types.ts";

/** Why a Lambda answer could not become an HTTP response (API Gateway then answers 502). */
export class MalformedProxyResponseError extends Error {
  override readonly name = "MalformedProxyResponseError";
}

// The HTTP server frames the body itself; copying these from the function would corrupt the reply.
const FRAMING_HEADERS = new Set(["content-length", "transfer-encoding", "connection"]);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function scalarText(value: unknown, where: string): string {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
  throw new MalformedProxyResponseError(`${where} must be a string, number or boolean`);
}

/**
 * Merges `headers` and `multiValueHeaders` as API Gateway does: a name present in
 * both takes the multi-value list. Names are matched without regard to case.
 */
function mergeHeaders(single: unknown, multi: unknown): Map<string, { name: string; values: string[] }> {
  const merged = new Map<string, { name: string; values: string[] }>();
  if (single !== undefined && single !== null) {
    if (!isRecord(single)) throw new MalformedProxyResponseError("headers must be an object");
    for (const [name, value] of Object.entries(single)) merged.set(name.toLowerCase(), { name, values: [scalarText(value, `header ${name}`)] });
  }
  if (multi !== undefined && multi !== null) {
    if (!isRecord(multi)) throw new MalformedProxyResponseError("multiValueHeaders must be an object");
    for (const [name, list] of Object.entries(multi)) {
      if (!Array.isArray(list)) throw new MalformedProxyResponseError(`multiValueHeaders.${name} must be a list`);
      merged.set(name.toLowerCase(), { name, values: list.map((value) => scalarText(value, `header ${name}`)) });
    }
  }
  return merged;
}

/** Turns a RequestResponse invocation's payload into the HTTP answer; throws MalformedProxyResponseError. */
export function toHttpResponse(result: InvokeResult): HttpResponse {
  let answer: unknown;
  try {
    answer = JSON.parse(result.payload);
  } catch {
    throw new MalformedProxyResponseError("the function's answer is not JSON");
  }
  if (!isRecord(answer)) throw new MalformedProxyResponseError("the function's answer is not an object");
  const { statusCode, body, isBase64Encoded } = answer;
  if (typeof statusCode !== "number" || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    throw new MalformedProxyResponseError("statusCode must be an HTTP status number");
  }
  if (body !== undefined && body !== null && typeof body !== "string") throw new MalformedProxyResponseError("body must be a string");
  const headers: Record<string, string | string[]> = {};
  let hasContentType = false;
  for (const [key, { name, values }] of mergeHeaders(answer.headers, answer.multiValueHeaders)) {
    if (FRAMING_HEADERS.has(key)) continue;
    if (key === "content-type") hasContentType = true;
    headers[name] = values.length === 1 && values[0] !== undefined ? values[0] : values;
  }
  if (!hasContentType) headers["Content-Type"] = "application/json"; // API Gateway's default
  const text = typeof body === "string" ? body : "";
  return { statusCode, headers, body: isBase64Encoded === true ? Buffer.from(text, "base64") : text };
}
