import type { HttpRequest, HttpResponse } from "../types.ts";
import { SqsOperationError } from "./errors.ts";
import type { JsonObject, SqsBackend } from "./sqs-backend.ts";

const JSON_CONTENT_TYPE = "application/x-amz-json-1.0";

function jsonError(statusCode: number, code: string, message: string, queryCode: string): HttpResponse {
  return {
    statusCode,
    headers: { "content-type": JSON_CONTENT_TYPE, "x-amzn-query-error": `${queryCode};Sender` },
    body: JSON.stringify({ __type: `com.amazonaws.sqs#${code}`, message }),
  };
}

/** Serves the JSON protocol the AWS SDK v3 speaks (`X-Amz-Target: AmazonSQS.SendMessage`). */
export async function handleJsonRequest(request: HttpRequest, backend: SqsBackend, target: string): Promise<HttpResponse> {
  const action = target.slice(target.indexOf(".") + 1);
  let input: unknown;
  try {
    input = request.body.length === 0 ? {} : JSON.parse(request.body.toString("utf8"));
  } catch {
    return jsonError(400, "SerializationException", "The request body is not valid JSON.", "SerializationException");
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return jsonError(400, "SerializationException", "The request body must be a JSON object.", "SerializationException");
  }
  const authorization = typeof request.headers.authorization === "string" ? request.headers.authorization : undefined;
  try {
    const output = await backend.call(action, input as JsonObject, authorization);
    return { statusCode: 200, headers: { "content-type": JSON_CONTENT_TYPE }, body: JSON.stringify(output) };
  } catch (error) {
    if (!(error instanceof SqsOperationError)) throw error;
    return jsonError(error.statusCode, error.code, error.awsMessage, error.queryCode);
  }
}
