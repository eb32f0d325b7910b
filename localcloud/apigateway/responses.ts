import type { HttpResponse } from "../types.ts";

/** A JSON answer in API Gateway's style: the error type travels in a header, the body is `{message}`. */
export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  };
}

export function awsError(statusCode: number, errorType: string, message: string, headers: Record<string, string> = {}): HttpResponse {
  return jsonResponse(statusCode, { message }, { "x-amzn-ErrorType": errorType, ...headers });
}

/** What API Gateway answers for a path or method the API does not define. */
export function missingAuthenticationToken(headers: Record<string, string> = {}): HttpResponse {
  return awsError(403, "MissingAuthenticationTokenException", "Missing Authentication Token", headers);
}
