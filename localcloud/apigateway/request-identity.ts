import { randomBytes, randomUUID } from "node:crypto";

/** The ids and times API Gateway stamps on each request. */
export interface RequestStamp {
  readonly requestId: string;
  /** Also sent back as `x-amz-apigw-id`. */
  readonly extendedRequestId: string;
  readonly traceId: string;
  readonly receivedAt: Date;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (value: number): string => String(value).padStart(2, "0");

/** The CLF-style time API Gateway puts in `requestContext.requestTime`, e.g. "09/Apr/2015:12:34:56 +0000". */
export function formatRequestTime(date: Date): string {
  const day = `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()] ?? "Jan"}/${date.getUTCFullYear()}`;
  return `${day}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

export function stampRequest(now: Date = new Date()): RequestStamp {
  const epochHex = Math.floor(now.getTime() / 1000).toString(16).padStart(8, "0");
  return {
    requestId: randomUUID(),
    extendedRequestId: randomBytes(11).toString("base64"),
    traceId: `Root=1-${epochHex}-${randomBytes(12).toString("hex")}`,
    receivedAt: now,
  };
}
