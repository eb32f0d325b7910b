import { queryParameters, xmlError } from "../query-protocol.ts";
import type { HttpRequest, HttpResponse } from "../types.ts";
import { SqsOperationError } from "./errors.ts";
import { decodeQueryParameters } from "./query-decode.ts";
import { encodeQueryResponse, SQS_XML_NAMESPACE } from "./query-encode.ts";
import type { SqsBackend } from "./sqs-backend.ts";

/** A query request either names its queue in QueueUrl or is POSTed to the queue's URL (`/{account}/{name}`). */
function queueUrlFromPath(request: HttpRequest, endpoint: string): string | undefined {
  const path = request.url.split("?")[0] ?? "/";
  return /^\/[^/]+\/[^/]+$/.test(path) ? `${endpoint}${path}` : undefined;
}

function authorizationOf(request: HttpRequest): string | undefined {
  const value = request.headers.authorization;
  return typeof value === "string" ? value : undefined;
}

/** Serves the older query protocol (Debian's aws CLI 2.9) by translating to and from the JSON protocol. */
export async function handleQueryRequest(request: HttpRequest, backend: SqsBackend, endpoint: string): Promise<HttpResponse> {
  const params = queryParameters(request);
  const action = params.get("Action");
  if (!action) return xmlError(400, "MissingAction", "The request must contain the parameter Action.", SQS_XML_NAMESPACE);
  const input = decodeQueryParameters(action, params);
  if (input["QueueUrl"] === undefined) {
    const fromPath = queueUrlFromPath(request, endpoint);
    if (fromPath) input["QueueUrl"] = fromPath;
  }
  try {
    const output = await backend.call(action, input, authorizationOf(request));
    return { statusCode: 200, headers: { "content-type": "text/xml" }, body: encodeQueryResponse(action, output) };
  } catch (error) {
    if (!(error instanceof SqsOperationError)) throw error;
    return xmlError(error.statusCode, error.queryCode, error.awsMessage, SQS_XML_NAMESPACE);
  }
}
