import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/** SDK settings for the target: its endpoint, and dummy credentials unless real ones are in the environment. */
function config(endpoint: string) {
  const credentials = process.env.AWS_ACCESS_KEY_ID ? undefined : { accessKeyId: "test", secretAccessKey: "test" };
  return { endpoint, region: process.env.AWS_REGION ?? "us-east-1", ...(credentials ? { credentials } : {}) };
}

export interface BenchClients {
  readonly dynamo: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  destroy(): void;
}

export function benchClients(endpoint: string): BenchClients {
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(config(endpoint)));
  const sqs = new SQSClient(config(endpoint));
  return { dynamo, sqs, destroy: () => (dynamo.destroy(), sqs.destroy()) };
}
