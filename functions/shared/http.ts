import type middy from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { logger } from "./logger.ts";

/** An error a client should see: a status, a stable code, a message and optional details. */
export class HttpError extends Error {
  override readonly name = "HttpError";
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

export function errorResponse(error: HttpError): APIGatewayProxyResult {
  const body = { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) };
  return jsonResponse(error.statusCode, { error: body });
}

/**
 * Turns thrown errors into responses: an HttpError as itself, anything else as
 * a 500 INTERNAL_ERROR that says nothing about internals (the log has them).
 */
export function httpErrors(): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: async (request) => {
      const { error } = request;
      if (error instanceof HttpError) {
        logger.info("request refused", { statusCode: error.statusCode, code: error.code });
        request.response = errorResponse(error);
        return;
      }
      logger.error("unexpected error", error instanceof Error ? error : String(error));
      request.response = jsonResponse(500, { error: { code: "INTERNAL_ERROR", message: "Something went wrong on our side. Please try again later." } });
    },
  };
}

/** A header's value whatever the case the client used. */
export function headerValue(event: Pick<APIGatewayProxyEvent, "headers">, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}
