import { crc32 } from "node:zlib";
import type { HttpResponse } from "../types.ts";

/** A DynamoDB JSON-protocol response, with the CRC32 header DynamoDB sends. */
export function jsonResponse(statusCode: number, value: unknown): HttpResponse {
  const body = Buffer.from(JSON.stringify(value));
  return {
    statusCode,
    headers: { "content-type": "application/x-amz-json-1.0", "x-amz-crc32": String(crc32(body)) },
    body,
  };
}
