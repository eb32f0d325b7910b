import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/**
 * SDK settings for the target: its endpoint, and dummy credentials unless real ones are in
 * the environment. `accessKeyId` names the bench's own dummy key, so a metering local cloud
 * can tell the bench's calls from the functions'.
 */
function config(endpoint: string, accessKeyId = "test") {
  const credentials = process.env.AWS_ACCESS_KEY_ID ? undefined : { accessKeyId, secretAccessKey: "test" };
  return { endpoint, region: process.env.AWS_REGION ?? "us-east-1", ...(credentials ? { credentials } : {}) };
}

export interface BenchClients {
  readonly dynamo: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  destroy(): void;
}

export function benchClients(endpoint: string, accessKeyId?: string): BenchClients {
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(config(endpoint, accessKeyId)));
  const sqs = new SQSClient(config(endpoint, accessKeyId));
  return { dynamo, sqs, destroy: () => (dynamo.destroy(), sqs.destroy()) };
}
