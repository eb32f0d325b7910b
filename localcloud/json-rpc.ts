import { randomUUID } from "node:crypto";
import type { HttpRequest, HttpResponse } from "./types.ts";

/** Answers of the services that speak AWS's JSON 1.1 protocol (SSM, Secrets Manager, KMS). */
const CONTENT_TYPE = "application/x-amz-json-1.1";

export function jsonOk(body: unknown): HttpResponse {
  return { statusCode: 200, headers: { "content-type": CONTENT_TYPE, "x-amzn-requestid": randomUUID() }, body: JSON.stringify(body) };
}

export function jsonFailure(code: string, message: string): HttpResponse {
  return {
    statusCode: 400,
    headers: { "content-type": CONTENT_TYPE, "x-amzn-requestid": randomUUID(), "x-amzn-errortype": code },
    body: JSON.stringify({ __type: code, message }),
  };
}

/** A service's own error, carrying AWS's error code. */
interface CodedError {
  readonly code: string;
  readonly message: string;
}

/**
 * One JSON 1.1 request: the action named after `prefix` in X-Amz-Target, the body as an
 * object, the answer as JSON; the service's own errors become AWS's error answers.
 */
export function handleJsonRpc<Input>(
  request: HttpRequest,
  prefix: string,
  dispatch: (action: string, input: Input) => unknown,
  service: { isOwnError(error: unknown): error is CodedError; notAnObject(): Error },
): HttpResponse {
  const target = String(request.headers["x-amz-target"] ?? "");
  const action = target.startsWith(prefix) ? target.slice(prefix.length) : "";
  try {
    const text = request.body.toString("utf8");
    const input: unknown = text.trim() === "" ? {} : JSON.parse(text);
    if (typeof input !== "object" || input === null || Array.isArray(input)) throw service.notAnObject();
    return jsonOk(dispatch(action, input as Input));
  } catch (error) {
    if (service.isOwnError(error)) return jsonFailure(error.code, error.message);
    if (error instanceof SyntaxError) return jsonFailure("SerializationException", error.message);
    throw error;
  }
}
