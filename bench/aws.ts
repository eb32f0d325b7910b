import { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { KMSClient } from "@aws-sdk/client-kms";
import { LambdaClient } from "@aws-sdk/client-lambda";
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
  /** Reads the load-test API key's value. */
  readonly apigateway: APIGatewayClient;
  /** Encrypts the load-test users' e-mails under the stack's personal-data key. */
  readonly kms: KMSClient;
  /** Pauses and resumes the orders queue's consumer (--accept-only). */
  readonly lambda: LambdaClient;
  destroy(): void;
}

export function benchClients(endpoint: string, accessKeyId?: string): BenchClients {
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(config(endpoint, accessKeyId)));
  const sqs = new SQSClient(config(endpoint, accessKeyId));
  const apigateway = new APIGatewayClient(config(endpoint, accessKeyId));
  const kms = new KMSClient(config(endpoint, accessKeyId));
  const lambda = new LambdaClient(config(endpoint, accessKeyId));
  return {
    dynamo,
    sqs,
    apigateway,
    kms,
    lambda,
    destroy: () => {
      lambda.destroy();
      dynamo.destroy();
      sqs.destroy();
      apigateway.destroy();
      kms.destroy();
    },
  };
}
