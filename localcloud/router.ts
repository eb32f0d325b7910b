import { CLOUDWATCH_ACTIONS } from "./cloudwatch/cloudwatch-service.ts";
import type { HttpRequest, HttpResponse, Service } from "./types.ts";

export type ServiceName = "dynamodb" | "sqs" | "lambda" | "apigateway" | "cloudformation" | "sts" | "s3" | "ssm" | "secretsmanager" | "kms" | "sns" | "events" | "cloudwatch";

const SQS_ACTIONS = new Set([
  "ListQueues", "GetQueueUrl", "CreateQueue", "DeleteQueue", "GetQueueAttributes", "SetQueueAttributes",
  "SendMessage", "SendMessageBatch", "ReceiveMessage", "DeleteMessage", "DeleteMessageBatch",
  "ChangeMessageVisibility", "ChangeMessageVisibilityBatch", "PurgeQueue", "ListDeadLetterSourceQueues",
  "ListQueueTags", "TagQueue", "UntagQueue", "StartMessageMoveTask", "ListMessageMoveTasks", "CancelMessageMoveTask",
]);

function header(request: HttpRequest, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? (value[0] ?? "") : (value ?? "");
}

/** SNS's query-protocol actions, for unsigned requests (signed ones name "sns" in their scope). */
const SNS_ACTIONS = new Set([
  "CreateTopic", "DeleteTopic", "ListTopics", "GetTopicAttributes", "SetTopicAttributes", "Subscribe", "Unsubscribe",
  "ConfirmSubscription", "ListSubscriptions", "ListSubscriptionsByTopic", "GetSubscriptionAttributes",
  "SetSubscriptionAttributes", "Publish", "PublishBatch",
]);

const STS_ACTIONS = new Set(["GetCallerIdentity", "AssumeRole", "GetSessionToken"]);

/**
 * The service named in a SigV4 credential scope: `Credential=AKID/20260101/us-east-1/sqs/aws4_request`,
 * in the Authorization header or, for a presigned URL, its `X-Amz-Credential` query parameter.
 */
function signedService(request: HttpRequest): string | undefined {
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/;
  const signed = header(request, "authorization").match(scope)?.[1];
  if (signed !== undefined || !request.url.includes("X-Amz-Credential=")) return signed;
  const credential = new URL(request.url, "http://x").searchParams.get("X-Amz-Credential") ?? "";
  return `Credential=${credential}`.match(scope)?.[1];
}

/**
 * Tells which service a request on the single endpoint is for, the way LocalStack
 * does: by X-Amz-Target, then the signature's credential scope, then the path, then
 * the query-protocol Action.
 */
export function serviceFor(request: HttpRequest, isExecuteApi: (request: HttpRequest) => boolean): ServiceName | undefined {
  if (isExecuteApi(request)) return "apigateway";
  const target = header(request, "x-amz-target");
  if (target.startsWith("DynamoDB_")) return "dynamodb";
  if (target.startsWith("AmazonSQS")) return "sqs";
  if (target.startsWith("AmazonSSM.")) return "ssm";
  if (target.startsWith("secretsmanager.")) return "secretsmanager";
  if (target.startsWith("TrentService.")) return "kms";
  if (target.startsWith("AWSEvents.")) return "events";
  if (target.startsWith("GraniteServiceVersion20100801.")) return "cloudwatch";
  // CloudWatch's RPC v2 CBOR protocol names the service in its path.
  if (request.url.startsWith("/service/GraniteServiceVersion20100801/")) return "cloudwatch";
  switch (signedService(request)) {
    case "dynamodb": return "dynamodb";
    case "sqs": return "sqs";
    case "lambda": return "lambda";
    case "apigateway":
    case "execute-api": return "apigateway";
    case "cloudformation": return "cloudformation";
    case "sts": return "sts";
    case "s3": return "s3";
    case "ssm": return "ssm";
    case "secretsmanager": return "secretsmanager";
    case "kms": return "kms";
    case "sns": return "sns";
    case "events": return "events";
    case "monitoring": return "cloudwatch";
  }
  const path = request.url.split("?")[0] ?? "/";
  if (path.startsWith("/2015-03-31/functions") || path.startsWith("/2015-03-31/event-source-mappings")) return "lambda";
  if (path.startsWith("/restapis")) return "apigateway";
  const action = new URLSearchParams(request.body.toString("utf8")).get("Action") ?? new URL(request.url, "http://x").searchParams.get("Action");
  if (action && STS_ACTIONS.has(action)) return "sts";
  if (action && SQS_ACTIONS.has(action)) return "sqs";
  if (action && SNS_ACTIONS.has(action)) return "sns";
  if (action && CLOUDWATCH_ACTIONS.has(action)) return "cloudwatch";
  if (action && /Stack/.test(action)) return "cloudformation";
  return undefined;
}

export function unknownServiceResponse(request: HttpRequest): HttpResponse {
  const scope = signedService(request);
  const message = scope
    ? `The local cloud does not emulate the "${scope}" service`
    : `The local cloud could not tell which AWS service ${request.method} ${request.url.split("?")[0]} is for`;
  return {
    statusCode: 400,
    headers: { "content-type": "application/json", "x-amzn-ErrorType": "UnknownServiceException" },
    body: JSON.stringify({ __type: "UnknownServiceException", message }),
  };
}

export type ServiceTable = Readonly<Record<ServiceName, Service>>;
