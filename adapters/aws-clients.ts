/**
 * SDK clients, created once per process and reused by every call. Region,
 * credentials and endpoint (AWS_ENDPOINT_URL on the local cloud) come from the
 * environment as the SDK reads it. Each is captured by the Tracer, so every call
 * is a subsegment of the invocation's trace (nothing happens outside Lambda).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { KMSClient } from "@aws-sdk/client-kms";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { tracer } from "../functions/shared/telemetry.ts";

export const documentClient = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), {
  marshallOptions: { removeUndefinedValues: true },
});
export const sqsClient = tracer.captureAWSv3Client(new SQSClient({}));
export const lambdaClient = tracer.captureAWSv3Client(new LambdaClient({}));
export const kmsClient = tracer.captureAWSv3Client(new KMSClient({}));
