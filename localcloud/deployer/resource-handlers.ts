import { CreateTableCommand, type CreateTableCommandInput, DeleteTableCommand, DynamoDBClient, ResourceInUseException, ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
import type { KeyRing } from "../kms/index.ts";
import type { SecretVault } from "../secretsmanager/index.ts";
import type { CloudContext, FunctionConfig, SqsEventSourceConfig } from "../types.ts";
import type { ApiAccessTarget } from "./api-access-handlers.ts";
import { API_ACCESS_HANDLERS } from "./api-access-handlers.ts";
import type { ApiGatewayAssembler } from "./api-assembler.ts";
import { createBucket, createParameter } from "./storage-handlers.ts";
import { createRule } from "./rule-handler.ts";
import { deleteRule, EVENT_BUS_HANDLERS, type EventsTarget } from "./event-bus-handlers.ts";
import { SNS_HANDLERS, type SnsTarget } from "./sns-handlers.ts";
import { MONITORING_HANDLERS, type MonitoringTarget } from "./monitoring-handlers.ts";
import { createAlias, createKey, createSecret } from "./security-handlers.ts";
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
  readonly sqs: {
    createQueue(name: string, attributes: Record<string, string>): Promise<{ queueUrl: string; queueArn: string }>;
    deleteQueue(name: string): Promise<void>;
  };
  readonly lambda: { createFunction(config: FunctionConfig): void; deleteFunction(name: string): void; listFunctions(): readonly FunctionConfig[] };
  /** The folder holding a function's unpacked code, given where CloudFormation was told it is in S3. */
  readonly functionCode: (bucket: string, key: string) => Promise<string>;
  readonly eventSources: { add(config: SqsEventSourceConfig): void; remove(uuid: string): Promise<void> };
  /** Runs EventBridge schedules; without it, rules are accepted but reported as not emulated. */
  readonly scheduler?: { addSchedule(schedule: ScheduleTarget): void; removeRule(name: string): void };
  /** S3 buckets (the CDK bootstrap bucket); without it, buckets are accepted but not emulated. */
  readonly s3?: { createBucket(name: string): Promise<void>; deleteBucket(name: string): Promise<void> };
  /** SSM parameters (the CDK bootstrap version); without it, parameters are accepted but not emulated. */
  readonly ssm?: {
    putParameter(name: string, value: string, options?: { type?: string; overwrite?: boolean }): unknown;
    deleteParameter(name: string): unknown;
  };
  /** API keys and usage plans; without it, they are accepted but not enforced. */
  readonly apiAccess?: ApiAccessTarget;
  /** Secrets Manager's secrets; without it, secrets are accepted but not emulated. */
  readonly secretsManager?: SecretVault;
  /** KMS keys and aliases; without it, they are accepted but not emulated. */
  readonly kms?: KeyRing;
  /** SNS topics and subscriptions; without it, they are accepted but not emulated. */
  readonly sns?: SnsTarget;
  /** EventBridge buses and pattern rules; without it, they are accepted but not emulated. */
  readonly events?: EventsTarget;
  /** CloudWatch's alarms and dashboards; without it, they are accepted but not emulated. */
  readonly monitoring?: MonitoringTarget;
}

export interface HandlerInput {
  readonly logicalId: string;
  readonly physicalName: (maxLength: number) => string;
  readonly properties: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
  readonly stackName: string;
  readonly targets: DeployTargets;
  readonly api: ApiGatewayAssembler;
}

/** What deleting a resource needs: what it was created as. */
export interface DeleteInput {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly properties: Record<string, unknown>;
  readonly targets: DeployTargets;
}

/**
 * How one resource type is run. `create` also serves updates: physical names are
 * stable, so creating again with new properties updates the resource in place.
 * Without `delete`, removing the resource leaves nothing behind to remove.
 */
export interface ResourceHandler {
  create(input: HandlerInput): Promise<CreatedResource>;
  delete?(input: DeleteInput): Promise<void>;
}

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
  const { properties, physicalName, targets, logicalId, metadata } = input;
  const functionName = (properties.FunctionName as string | undefined) ?? physicalName(64);
  const code = (properties.Code ?? {}) as { S3Bucket?: string; S3Key?: string };
  if (!code.S3Bucket || !code.S3Key) throw new Error(`${logicalId}: only code in S3 (S3Bucket and S3Key) is supported, not inline code`);
  const codeDir = await targets.functionCode(code.S3Bucket, code.S3Key);
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
    tracingMode: String((properties.TracingConfig as { Mode?: unknown } | undefined)?.Mode ?? "PassThrough"),
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

/** A function already gone (a restart that could not start it again) is deleted all the same. */
function deleteFunction(targets: DeployTargets, functionName: string): void {
  if (targets.lambda.listFunctions().some((config) => config.functionName === functionName)) targets.lambda.deleteFunction(functionName);
}

async function deleteTable({ physicalId, targets }: DeleteInput): Promise<void> {
  await targets.dynamodb.send(new DeleteTableCommand({ TableName: physicalId })).catch((error: unknown) => {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  });
}

/** A queue's Ref is its URL; its name is the URL's last segment. */
const queueNameOf = (queueUrl: string): string => queueUrl.slice(queueUrl.lastIndexOf("/") + 1);

/**
 * API Gateway's resources are assembled into whole APIs after every deployment
 * (ApiGatewayAssembler), so they are created again each time and removed with their API.
 */
const apiPart = (add: (input: HandlerInput) => CreatedResource): ResourceHandler => ({ create: async (input) => add(input) });

export const RESOURCE_HANDLERS: Readonly<Record<string, ResourceHandler>> = {
  "AWS::DynamoDB::Table": { create: createTable, delete: deleteTable },
  "AWS::SQS::Queue": { create: createQueue, delete: ({ physicalId, targets }) => targets.sqs.deleteQueue(queueNameOf(physicalId)) },
  "AWS::Lambda::Function": { create: createFunction, delete: async ({ physicalId, targets }) => deleteFunction(targets, physicalId) },
  "AWS::Lambda::EventSourceMapping": { create: createEventSourceMapping, delete: ({ physicalId, targets }) => targets.eventSources.remove(physicalId) },
  "AWS::Events::Rule": { create: createRule, delete: deleteRule },
  ...EVENT_BUS_HANDLERS,
  ...SNS_HANDLERS,
  ...MONITORING_HANDLERS,
  "AWS::S3::Bucket": createBucket,
  "AWS::SSM::Parameter": createParameter,
  "AWS::SecretsManager::Secret": createSecret,
  "AWS::KMS::Key": createKey,
  "AWS::KMS::Alias": createAlias,
  "AWS::ApiGateway::RestApi": apiPart(({ api, logicalId, properties, stackName }) => api.addRestApi(logicalId, properties, stackName)),
  "AWS::ApiGateway::Resource": apiPart(({ api, logicalId, properties }) => api.addResource(logicalId, properties)),
  "AWS::ApiGateway::Method": apiPart(({ api, logicalId, properties }) => api.addMethod(logicalId, properties)),
  "AWS::ApiGateway::Deployment": apiPart(({ api, logicalId, properties }) => api.addDeployment(logicalId, properties)),
  "AWS::ApiGateway::Stage": apiPart(({ api, properties }) => api.addStage(properties)),
  ...API_ACCESS_HANDLERS,
};

/** Types whose create is cheap and must run on every deployment (see apiPart). */
export const ALWAYS_CREATED = new Set(Object.keys(RESOURCE_HANDLERS).filter((type) => type.startsWith("AWS::ApiGateway::")));
