/** Fixture factories for the events API Gateway, SQS and Lambda hand the handlers. */
import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEvent, Context, SQSEvent, SQSRecord } from "aws-lambda";

/** A context whose remaining time counts down from `budgetMs` as real time passes, as Lambda's does. */
export function lambdaContextWithin(budgetMs: number, functionName = "test-function"): Context {
  const end = Date.now() + budgetMs;
  return { ...lambdaContext(functionName), getRemainingTimeInMillis: () => Math.max(0, end - Date.now()) };
}

export function lambdaContext(functionName = "test-function"): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "test",
    getRemainingTimeInMillis: () => 30_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

export function apiEvent(options: {
  method?: string;
  resource: string;
  path?: string;
  body?: string;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  /** The signed-in user, as the Lambda authorizer passes it on; none = a route without the authorizer. */
  caller?: string;
}): APIGatewayProxyEvent {
  return {
    httpMethod: options.method ?? "GET",
    resource: options.resource,
    path: options.path ?? options.resource,
    body: options.body ?? null,
    isBase64Encoded: false,
    headers: options.headers ?? {},
    multiValueHeaders: {},
    pathParameters: options.pathParameters ?? null,
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: (options.caller === undefined ? {} : { authorizer: { principalId: options.caller, userId: options.caller } }) as APIGatewayProxyEvent["requestContext"],
  };
}

export function sqsRecord(body: string, options: { messageId?: string; groupId?: string; queueArn?: string } = {}): SQSRecord {
  return {
    messageId: options.messageId ?? randomUUID(),
    receiptHandle: randomUUID(),
    body,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: String(Date.now()),
      SenderId: "test",
      ApproximateFirstReceiveTimestamp: String(Date.now()),
      ...(options.groupId ? { MessageGroupId: options.groupId, MessageDeduplicationId: randomUUID(), SequenceNumber: "1" } : {}),
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: options.queueArn ?? "arn:aws:sqs:us-east-1:000000000000:queue",
    awsRegion: "us-east-1",
  };
}

export const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
