import { createHash } from "node:crypto";
import type { APIGatewayProxyEvent } from "aws-lambda";
import type { OrderRequest } from "../../domain/order.ts";
import { headerValue, HttpError } from "./http.ts";

export const MAX_BODY_BYTES = 16 * 1024;
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,128}$/;

/** The request body as JSON, refusing bodies over 16 KiB and text that is not JSON. */
export function jsonBodyOf(event: Pick<APIGatewayProxyEvent, "body" | "isBase64Encoded">): unknown {
  const raw = event.body ?? "";
  const bytes = event.isBase64Encoded ? Buffer.from(raw, "base64") : Buffer.from(raw, "utf8");
  if (bytes.length > MAX_BODY_BYTES) {
    throw new HttpError(413, "PAYLOAD_TOO_LARGE", `The body must be at most ${MAX_BODY_BYTES} bytes.`, { bytes: bytes.length });
  }
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new HttpError(400, "MALFORMED_JSON", "The body is not valid JSON.");
  }
}

/**
 * Refuses a body declared as anything but JSON (`application/json`, `…+json`), so a
 * form or multipart upload is never read as an order by accident. No header is
 * accepted: the body must still parse as JSON.
 */
export function requireJsonContentType(event: Pick<APIGatewayProxyEvent, "headers">): void {
  const declared = headerValue(event, "content-type");
  if (declared === undefined || declared.trim() === "") return;
  const mediaType = declared.split(";")[0]?.trim().toLowerCase() ?? "";
  if (mediaType === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType)) return;
  throw new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the order as JSON with Content-Type: application/json.", { contentType: declared });
}

/** The Idempotency-Key header, if any: 1 to 128 printable characters. */
export function idempotencyKeyOf(event: Pick<APIGatewayProxyEvent, "headers">): string | undefined {
  const key = headerValue(event, "idempotency-key");
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new HttpError(400, "INVALID_IDEMPOTENCY_KEY", "Idempotency-Key must be 1 to 128 printable characters.");
  }
  return key;
}

/** A fingerprint of what was asked, so a replay with a different body is caught. */
export function requestHash(request: OrderRequest): string {
  const canonical = JSON.stringify([request.userId, request.ticker, request.quantity, request.side]);
  return createHash("sha256").update(canonical).digest("hex");
}
