import { randomUUID } from "node:crypto";
import type { HttpRequest, HttpResponse } from "./types.ts";

/** Parameters of an AWS query-protocol request (form body, or query string on GET). */
export function queryParameters(request: HttpRequest): URLSearchParams {
  const fromUrl = new URL(request.url, "http://localhost").searchParams;
  const form = new URLSearchParams(request.body.toString("utf8"));
  for (const [key, value] of fromUrl) if (!form.has(key)) form.set(key, value);
  return form;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c] ?? c);
}

/** `<ActionResponse xmlns><ActionResult>…</ActionResult><ResponseMetadata>…` as query services answer. */
export function xmlResult(action: string, namespace: string, inner: string): HttpResponse {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${namespace}">` +
    `<${action}Result>${inner}</${action}Result>` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
  return { statusCode: 200, headers: { "content-type": "text/xml" }, body };
}

export function xmlError(statusCode: number, code: string, message: string, namespace: string): HttpResponse {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${namespace}"><Error><Type>Sender</Type>` +
    `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
    `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
  return { statusCode, headers: { "content-type": "text/xml" }, body };
}
