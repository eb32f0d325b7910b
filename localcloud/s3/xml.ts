import { randomUUID } from "node:crypto";
import { escapeXml } from "../query-protocol.ts";
import type { HttpResponse } from "../types.ts";

export const S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

function requestId(): string {
  return randomUUID().replaceAll("-", "").slice(0, 16).toUpperCase();
}

/** S3's error document: `<Error><Code>…</Code><Message>…</Message>…</Error>`. */
export function s3Error(statusCode: number, code: string, message: string, resource?: string): HttpResponse {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message>` +
    (resource === undefined ? "" : `<Resource>${escapeXml(resource)}</Resource>`) +
    `<RequestId>${requestId()}</RequestId></Error>`;
  return { statusCode, headers: { "content-type": "application/xml", "x-amz-request-id": requestId() }, body };
}

export function s3Xml(statusCode: number, body: string, contentType = "application/xml"): HttpResponse {
  return { statusCode, headers: { "content-type": contentType, "x-amz-request-id": requestId() }, body };
}
