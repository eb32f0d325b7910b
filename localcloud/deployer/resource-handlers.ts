import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient, ResourceInUseException } from "@aws-sdk/client-dynamodb";
import { join } from "node:path";
import type { CloudContext, FunctionConfig, SqsEventSourceConfig } from "../types.ts";
import type { ApiGatewayAssembler } from "./api-assembler.ts";
import { createRule } from "./rule-handler.ts";
import { addMissingIndexes } from "./table-indexes.ts";

/** What one created resource answers to `Ref` and `Fn::GetAtt`. */
export interface CreatedResource {
  readonly ref: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** False when the resource was accepted but is not run (reported as not emulated). @default true */
  readonly emulated?: boolean;
}

/** A schedule to run: a rule's `rate(...)` expression and its Lambda target. */
export interface ScheduleTarget {
  readonly name: string;
  readonly expression: string;
  readonly functionName: string;
  readonly input?: string;
}

/** The services the deployer creates resources in. */
export interface DeployTargets {
  readonly ctx: CloudContext;
  readonly dynamodb: DynamoDBClient;
  readonly sqs: { createQueue(name: string, attributes: Record<string, string>): Promise<{ queueUrl: string; queueArn: string }> };
  readonly lambda: { createFunction(config: FunctionConfig): void };
  readonly eventSources: { add(config: SqsEventSourceConfig): void };
  /** Runs EventBridge schedules; without it, rules are accepted but reported as not emulated. */
  readonly scheduler?: { addSchedule(schedule: ScheduleTarget): void };
}

export interface HandlerInput {
  readonly logicalId: string;
  readonly physicalName: (maxLength: number) => string;
  readonly properties: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
  readonly stackName: string;
  readonly assetFolders: ReadonlyMap<string, string>;
  readonly assemblyDir: string;
  readonly targets: DeployTargets;
  readonly api: ApiGatewayAssembler;
}

export type ResourceHandler = (input: HandlerInput) => Promise<CreatedResource>;

const arn = (ctx: CloudContext, service: string, resource: string): string =>
  `arn:aws:${service}:${ctx.region}:${ctx.accountId}:${resource}`;

async function createTable({ properties, physicalName, targets }: HandlerInput): Promise<CreatedResource> {
  const tableName = (properties.TableName as string | undefined) ?? physicalName(255);
  const input = {
    TableName: tableName,
    KeySchema: properties.KeySchema,
    AttributeDefinitions: properties.AttributeDefinitions,
    BillingMode: properties.BillingMode ?? "PROVISIONED",
    ProvisionedThroughput: properties.ProvisionedThroughput,
    GlobalSecondaryIndexes: properties.GlobalSecondaryIndexes,
    LocalSecondaryIndexes: properties.LocalSecondaryIndexes,
  } as CreateTableCommandInput;
  try {
    await targets.dynamodb.send(new CreateTableCommand(input));
  } catch (error) {
    // A restart finds the table from last time: keep it and its items, and add indexes it lacks.
    if (!(error instanceof ResourceInUseException)) throw error;
    await addMissingIndexes(targets.dynamodb, targets.ctx, input);
  }
  const tableArn = arn(targets.ctx, "dynamodb", `table/${tableName}`);
  return { ref: tableName, attributes: { Arn: tableArn, StreamArn: `${tableArn}/stream/local` } };
}

const QUEUE_ATTRIBUTES = [
  "ContentBasedDeduplication", "DeduplicationScope", "DelaySeconds", "FifoQueue", "FifoThroughputLimit",
  "MaximumMessageSize", "MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds", "VisibilityTimeout",
];

async function createQueue({ properties, physicalName, targets }: HandlerInput): Promise<CreatedResource> {
  const fifo = properties.FifoQueue === true || properties.FifoQueue === "true";
  const name = (properties.QueueName as string | undefined) ?? (fifo ? `${physicalName(75)}.fifo` : physicalName(80));
  const attributes: Record<string, string> = {};
  for (const key of QUEUE_ATTRIBUTES) if (properties[key] !== undefined) attributes[key] = String(properties[key]);
  if (properties.RedrivePolicy !== undefined) attributes.RedrivePolicy = JSON.stringify(properties.RedrivePolicy);
  const { queueUrl, queueArn } = await targets.sqs.createQueue(name, attributes);
  return { ref: queueUrl, attributes: { Arn: queueArn, QueueName: name, QueueUrl: queueUrl } };
}

/** A readable log prefix: the construct's id in kebab case ("ValidateOrder" → "validate-order"). */
function displayNameOf(logicalId: string, metadata: Record<string, unknown>): string {
  const path = typeof metadata["aws:cdk:path"] === "string" ? (metadata["aws:cdk:path"] as string) : logicalId;
  const parts = path.split("/").filter((part) => part !== "Resource");
  const id = parts[parts.length - 1] ?? logicalId;
  return id.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

async function createFunction(input: HandlerInput): Promise<CreatedResource> {
  const { properties, physicalName, targets, assetFolders, logicalId, metadata } = input;
  const functionName = (properties.FunctionName as string | undefined) ?? physicalName(64);
  const code = (properties.Code ?? {}) as { S3Key?: string };
  const assetPath = typeof metadata["aws:asset:path"] === "string" ? (metadata["aws:asset:path"] as string) : undefined;
  const codeDir = (code.S3Key ? assetFolders.get(code.S3Key) : undefined) ?? (assetPath ? join(input.assemblyDir, assetPath) : undefined);
  if (!codeDir) throw new Error(`${logicalId}: no bundled code found in the cloud assembly (inline code is not supported)`);
  const environment = ((properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {});
  targets.lambda.createFunction({
    functionName,
    displayName: displayNameOf(logicalId, metadata),
    codeDir,
    handler: String(properties.Handler ?? "index.handler"),
    runtime: String(properties.Runtime ?? "nodejs22.x"),
    timeoutSeconds: Number(properties.Timeout ?? 3),
    memorySizeMb: Number(properties.MemorySize ?? 128),
    architecture: String((properties.Architectures as unknown[] | undefined)?.[0] ?? "x86_64"),
    environment: Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, String(value)])),
    reservedConcurrency: properties.ReservedConcurrentExecutions === undefined ? undefined : Number(properties.ReservedConcurrentExecutions),
  });
  return { ref: functionName, attributes: { Arn: arn(targets.ctx, "lambda", `function:${functionName}`) } };
}

async function createEventSourceMapping({ properties, physicalName, targets }: HandlerInput): Promise<CreatedResource> {
  const uuid = physicalName(64);
  const sourceArn = String(properties.EventSourceArn ?? "");
  if (!sourceArn.startsWith("arn:aws:sqs:")) throw new Error(`Only SQS event sources are emulated, got ${sourceArn}`);
  const functionName = String(properties.FunctionName).replace(/^arn:aws:lambda:[^:]+:[^:]+:function:/, "");
  const responseTypes = (properties.FunctionResponseTypes as string[] | undefined) ?? [];
  const scaling = properties.ScalingConfig as { MaximumConcurrency?: number } | undefined;
  targets.eventSources.add({
    uuid,
    functionName,
    queueArn: sourceArn,
    batchSize: Number(properties.BatchSize ?? 10),
    maximumBatchingWindowSeconds: Number(properties.MaximumBatchingWindowInSeconds ?? 0),
    reportBatchItemFailures: responseTypes.includes("ReportBatchItemFailures"),
    enabled: properties.Enabled !== false && properties.Enabled !== "false",
    maximumConcurrency: scaling?.MaximumConcurrency,
  });
  return { ref: uuid, attributes: { Id: uuid } };
}

export const RESOURCE_HANDLERS: Readonly<Record<string, ResourceHandler>> = {
  "AWS::DynamoDB::Table": createTable,
  "AWS::SQS::Queue": createQueue,
  "AWS::Lambda::Function": createFunction,
  "AWS::Lambda::EventSourceMapping": createEventSourceMapping,
  "AWS::Events::Rule": createRule,
  "AWS::ApiGateway::RestApi": async ({ api, logicalId, properties, stackName }) => api.addRestApi(logicalId, properties, stackName),
  "AWS::ApiGateway::Resource": async ({ api, logicalId, properties }) => api.addResource(logicalId, properties),
  "AWS::ApiGateway::Method": async ({ api, logicalId, properties }) => api.addMethod(logicalId, properties),
  "AWS::ApiGateway::Deployment": async ({ api, logicalId, properties }) => api.addDeployment(logicalId, properties),
  "AWS::ApiGateway::Stage": async ({ api, properties }) => api.addStage(properties),
};
