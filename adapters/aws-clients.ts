/**
 * SDK clients, created once per process and reused by every call. Region,
 * credentials and endpoint (AWS_ENDPOINT_URL on the local cloud) come from the
 * environment as the SDK reads it.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
export const sqsClient = new SQSClient({});
export const lambdaClient = new LambdaClient({});
