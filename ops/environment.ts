/**
 * Where the operator tools point: the endpoint and credentials as the AWS SDK
 * reads them from the environment, the stack's names from cdk-outputs.json.
 */
import { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { KMSClient } from "@aws-sdk/client-kms";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { existsSync, readFileSync } from "node:fs";
import { ConfigurationError, EndpointUnreachableError, OperatorToolError } from "./errors.ts";

export const STACK_NAME = "Brokerage";
/** cdk-outputs.json, or CDK_OUTPUTS_FILE (the deploy script and its end-to-end test point it elsewhere). */
export const DEFAULT_OUTPUTS_FILE = process.env.CDK_OUTPUTS_FILE ?? "cdk-outputs.json";

export type StackOutputs = Readonly<Record<string, string>>;

/** The Brokerage stack's outputs from a `cdk deploy --outputs-file` style file, or undefined if there is no file. */
export function readStackOutputs(file: string, required = false): StackOutputs | undefined {
  if (!existsSync(file)) {
    if (required) throw new ConfigurationError(`outputs file ${file} does not exist`);
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new ConfigurationError(`${file} is not valid JSON`);
  }
  const stack = (parsed as Record<string, unknown> | null)?.[STACK_NAME];
  if (typeof stack !== "object" || stack === null) throw new ConfigurationError(`${file} has no "${STACK_NAME}" stack`);
  return Object.fromEntries(Object.entries(stack).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/** Region and endpoint as the SDK would read them; a service-specific endpoint variable wins over AWS_ENDPOINT_URL. */
function clientConfig(env: NodeJS.ProcessEnv, serviceEndpointVariable: string) {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  // An explicit endpoint also stops the SQS client from sending to the host of a (possibly stale) queue URL.
  const endpoint = env[serviceEndpointVariable] ?? env.AWS_ENDPOINT_URL;
  // Keys in `env` are passed on, since it need not be process.env; otherwise the SDK's own provider chain decides.
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  const credentials = accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } : undefined;
  return { ...(region ? { region } : {}), ...(endpoint ? { endpoint } : {}), ...(credentials ? { credentials } : {}) };
}

export const sqsClientFromEnv = (env: NodeJS.ProcessEnv = process.env) => new SQSClient(clientConfig(env, "AWS_ENDPOINT_URL_SQS"));

export const documentClientFromEnv = (env: NodeJS.ProcessEnv = process.env) =>
  DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(env, "AWS_ENDPOINT_URL_DYNAMODB")));

const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ECONNRESET", "ETIMEDOUT", "EAI_AGAIN"]);

/** Turns an SDK or network failure into an error a person can act on. */
export function explain(error: unknown, env: NodeJS.ProcessEnv = process.env): OperatorToolError {
  if (error instanceof OperatorToolError) return error;
  const endpoint = env.AWS_ENDPOINT_URL ?? "the AWS endpoint of your region";
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const causeCode = (error.cause as { code?: unknown } | undefined)?.code;
    if ((typeof code === "string" && UNREACHABLE_CODES.has(code)) || (typeof causeCode === "string" && UNREACHABLE_CODES.has(causeCode)) || error.name === "TimeoutError") {
      return new EndpointUnreachableError(`cannot reach ${endpoint} (${String(code ?? causeCode ?? error.name)}); is the local cloud running (npm start) or AWS_ENDPOINT_URL right?`);
    }
    if (error.name === "CredentialsProviderError") return new ConfigurationError(`no AWS credentials: ${error.message}`);
    if (error.message === "Region is missing") return new ConfigurationError("no AWS region: set AWS_REGION");
    return new OperatorToolError(`${error.name}: ${error.message}`);
  }
  return new OperatorToolError(String(error));
}

export const kmsClientFromEnv = (env: NodeJS.ProcessEnv = process.env) => new KMSClient(clientConfig(env, "AWS_ENDPOINT_URL_KMS"));

export const apiGatewayClientFromEnv = (env: NodeJS.ProcessEnv = process.env) => new APIGatewayClient(clientConfig(env, "AWS_ENDPOINT_URL_API_GATEWAY"));

/** The KMS key that encrypts personal data: PERSONAL_DATA_KEY_ARN, else the stack's PersonalDataKeyArn output. */
export function personalDataKeyArn(outputs: StackOutputs | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const arn = env.PERSONAL_DATA_KEY_ARN ?? outputs?.PersonalDataKeyArn;
  if (!arn) throw new ConfigurationError("set PERSONAL_DATA_KEY_ARN or deploy first so cdk-outputs.json has Brokerage.PersonalDataKeyArn");
  return arn;
}
