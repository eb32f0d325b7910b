import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { headerValue } from "./http.ts";

const USABLE_ID = /^[\x21-\x7e]{1,128}$/;

/** The caller's X-Correlation-Id when it is usable, else a fresh one. */
export function correlationIdOf(event: Pick<APIGatewayProxyEvent, "headers">): string {
  const given = headerValue(event, "x-correlation-id")?.trim();
  return given && USABLE_ID.test(given) ? given : randomUUID();
}
