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

/** Names the environment variable with the origins a browser may call the API from: "*" or a comma-separated list. */
export const CORS_ALLOW_ORIGINS = "CORS_ALLOW_ORIGINS";

const allowedOrigins = (process.env[CORS_ALLOW_ORIGINS] ?? "*").split(",").map((origin) => origin.trim()).filter(Boolean);

/**
 * The CORS headers of an answer to a request from `origin`: "*" when any origin
 * may call; else the caller's origin when it is allowed, the first allowed one
 * otherwise (the browser then refuses, as it should), and `Vary: Origin` for caches.
 * The preflight (OPTIONS) is answered by API Gateway itself.
 */
export function corsHeaders(origin: string | undefined, allowed: readonly string[] = allowedOrigins): Record<string, string> {
  const expose = { "Access-Control-Expose-Headers": "Location" };
  if (allowed.length === 0 || allowed.includes("*")) return { "Access-Control-Allow-Origin": "*", ...expose };
  const chosen = origin !== undefined && allowed.includes(origin) ? origin : (allowed[0] as string);
  return { "Access-Control-Allow-Origin": chosen, Vary: "Origin", ...expose };
}

function withCors(response: APIGatewayProxyResult, event: APIGatewayProxyEvent): APIGatewayProxyResult {
  return { ...response, headers: { ...response.headers, ...corsHeaders(headerValue(event, "origin")) } };
}

/**
 * The HTTP edge of every API function: turns thrown errors into responses (an
 * HttpError as itself, anything else as a 500 INTERNAL_ERROR that says nothing
 * about internals; the log has them) and puts the CORS headers on every answer,
 * so a browser can read it.
 */
export function httpErrors(): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    after: async (request) => {
      if (request.response) request.response = withCors(request.response, request.event);
    },
    onError: async (request) => {
      const { error } = request;
      if (error instanceof HttpError) {
        logger.info("request refused", { statusCode: error.statusCode, code: error.code });
        request.response = withCors(errorResponse(error), request.event);
        return;
      }
      logger.error("unexpected error", error instanceof Error ? error : String(error));
      const response = jsonResponse(500, { error: { code: "INTERNAL_ERROR", message: "Something went wrong on our side. Please try again later." } });
      request.response = withCors(response, request.event);
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
