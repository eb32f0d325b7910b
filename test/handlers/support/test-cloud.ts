/**
 * The real DynamoDB, SQS and SNS emulators of the local cloud behind one loopback
 * endpoint, plus a stand-in for Lambda's Invoke API that records async invokes. The
 * OrderEvents topic is subscribed as the stack subscribes it (raw delivery, the same
 * filter policies), so published events land in the push, e-mail, audit and reports queues.
 * The handlers under test reach it through AWS_ENDPOINT_URL, as on the local cloud.
 */
import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoDbService } from "../../../localcloud/dynamodb/index.ts";
import { startHttpServer } from "../../../localcloud/http-server.ts";
import { serviceFor } from "../../../localcloud/router.ts";
import { SnsService } from "../../../localcloud/sns/index.ts";
import { SqsService } from "../../../localcloud/sqs/index.ts";
import type { CloudContext, HttpRequest, HttpResponse } from "../../../localcloud/types.ts";
import { KMSClient } from "@aws-sdk/client-kms";
import { KmsFieldCipher } from "../../../adapters/kms-field-cipher.ts";
import type { FieldCipher } from "../../../adapters/identity-ports.ts";
import { kmsStub, STUB_KEY_ARN } from "./kms-stub.ts";

export interface TestCloud {
  readonly endpoint: string;
  readonly db: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly tables: { users: string; transactions: string; quotes: string; audit: string; statements: string };
  readonly queues: { orders: string; push: string; email: string; audit: string; reports: string };
  readonly orderEventsTopicArn: string;
  /** Encrypts personal data as the seed and the users command do, through the KMS stand-in. */
  readonly cipher: FieldCipher;
  /** Payloads of InvocationType Event invokes, by function name. */
  readonly invocations: { functionName: string; payload: unknown }[];
  /** Every request that reached the emulators, in order (empty it before the calls to count). */
  readonly requests: CloudRequest[];
  stop(): Promise<void>;
}

export interface CloudRequest {
  /** "DynamoDB.PutItem", "SQS.SendMessageBatch", "Lambda.Invoke". */
  readonly operation: string;
  /** The DynamoDB tables the request names. */
  readonly tables: string[];
}

/** What a request is, for counting: its service and action, and for DynamoDB the tables it names. */
function describeRequest(request: HttpRequest): CloudRequest {
  const target = String(request.headers["x-amz-target"] ?? "");
  if (target.startsWith("DynamoDB_")) {
    const body = JSON.parse(request.body.toString("utf8") || "{}") as { TableName?: string; RequestItems?: object; TransactItems?: Record<string, { TableName?: string }>[] };
    const tables = body.TableName ? [body.TableName] : body.RequestItems ? Object.keys(body.RequestItems) : (body.TransactItems ?? []).flatMap((item) => Object.values(item).map((op) => String(op.TableName)));
    return { operation: `DynamoDB.${target.split(".")[1]}`, tables: [...new Set(tables)] };
  }
  if (target.startsWith("AmazonSQS.")) return { operation: `SQS.${target.split(".")[1]}`, tables: [] };
  if (serviceFor(request, () => false) === "sns") return { operation: `SNS.${new URLSearchParams(request.body.toString("utf8")).get("Action") ?? "?"}`, tables: [] };
  if (INVOKE_PATH.test(request.url)) return { operation: "Lambda.Invoke", tables: [] };
  return { operation: `other ${request.method} ${request.url}`, tables: [] };
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations/;

function lambdaStub(request: HttpRequest, invocations: TestCloud["invocations"]): HttpResponse | undefined {
  const match = INVOKE_PATH.exec(request.url);
  if (!match?.[1]) return undefined;
  invocations.push({ functionName: decodeURIComponent(match[1]), payload: JSON.parse(request.body.toString("utf8")) });
  return { statusCode: 202, headers: { "content-type": "application/json" }, body: "" };
}

const STRING = "S" as const;
const indexOn = (name: string) => ({
  IndexName: name,
  KeySchema: [
    { AttributeName: `${name}pk`, KeyType: "HASH" as const },
    { AttributeName: `${name}sk`, KeyType: "RANGE" as const },
  ],
  Projection: { ProjectionType: "ALL" as const },
});

/** A pk/sk table, with the transactions table's indexes (gsi1: a user's orders, gsi2: orders to settle) when asked. */
const keyed = (TableName: string, gsi = false): CreateTableCommandInput => ({
  TableName,
  BillingMode: "PAY_PER_REQUEST",
  AttributeDefinitions: [
    { AttributeName: "pk", AttributeType: STRING },
    { AttributeName: "sk", AttributeType: STRING },
    ...(gsi ? ["gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk"].map((AttributeName) => ({ AttributeName, AttributeType: STRING })) : []),
  ],
  KeySchema: [
    { AttributeName: "pk", KeyType: "HASH" },
    { AttributeName: "sk", KeyType: "RANGE" },
  ],
  ...(gsi ? { GlobalSecondaryIndexes: [indexOn("gsi1"), indexOn("gsi2")] } : {}),
});

/** Starts the emulators, creates the tables and queues, and points the environment at them. */
export async function startTestCloud(extraEnv: Record<string, string> = {}): Promise<TestCloud> {
  const invocations: TestCloud["invocations"] = [];
  const requests: CloudRequest[] = [];
  let route: (request: HttpRequest) => Promise<HttpResponse> = async () => ({ statusCode: 503 });
  const server = await startHttpServer((request) => route(request));
  const ctx: CloudContext = { region: "us-east-1", accountId: "000000000000", endpoint: server.url, dataDir: "", log: () => {} };
  const dynamo = await DynamoDbService.start(ctx, { inMemory: true });
  const sqsService = await SqsService.start(ctx, { inMemory: true });
  const snsService = await SnsService.start(ctx, sqsService.embedded, { invoke: async () => ({ statusCode: 202, payload: "" }) });
  const kms = kmsStub();
  route = async (request) => {
    const kmsResponse = kms.handle(request);
    if (kmsResponse) return kmsResponse;
    requests.push(describeRequest(request));
    const target = String(request.headers["x-amz-target"] ?? "");
    if (target.startsWith("DynamoDB_")) return dynamo.handle(request);
    if (serviceFor(request, () => false) === "sns") return snsService.handle(request);
    return lambdaStub(request, invocations) ?? sqsService.handle(request);
  };

  const credentials = { accessKeyId: "test", secretAccessKey: "test" };
  const raw = new DynamoDBClient({ endpoint: server.url, region: "us-east-1", credentials });
  const tables = { users: "Users", transactions: "Transactions", quotes: "Quotes", audit: "Audit", statements: "Statements" };
  await raw.send(new CreateTableCommand(keyed(tables.users)));
  await raw.send(new CreateTableCommand(keyed(tables.transactions, true)));
  await raw.send(new CreateTableCommand(keyed(tables.quotes)));
  await raw.send(new CreateTableCommand(keyed(tables.audit)));
  await raw.send(new CreateTableCommand(keyed(tables.statements)));
  const queues = {
    orders: (await sqsService.createQueue("orders.fifo", { FifoQueue: "true", VisibilityTimeout: "30" })).queueUrl,
    push: (await sqsService.createQueue("push", {})).queueUrl,
    email: (await sqsService.createQueue("email", {})).queueUrl,
    audit: (await sqsService.createQueue("audit", {})).queueUrl,
    reports: (await sqsService.createQueue("reports", {})).queueUrl,
  };
  const orderEventsTopicArn = await snsService.createTopic("order-events", {});
  const queueArn = (name: string) => `arn:aws:sqs:${ctx.region}:${ctx.accountId}:${name}`;
  const only = (...types: string[]) => ({ RawMessageDelivery: "true", FilterPolicy: JSON.stringify({ type: types }) });
  await snsService.subscribe(orderEventsTopicArn, "sqs", queueArn("push"), only("filled", "rejected"));
  await snsService.subscribe(orderEventsTopicArn, "sqs", queueArn("email"), only("filled", "rejected"));
  await snsService.subscribe(orderEventsTopicArn, "sqs", queueArn("audit"), { RawMessageDelivery: "true" });
  await snsService.subscribe(orderEventsTopicArn, "sqs", queueArn("reports"), only("filled"));

  Object.assign(process.env, {
    AWS_ENDPOINT_URL: server.url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    USERS_TABLE: tables.users,
    TRANSACTIONS_TABLE: tables.transactions,
    QUOTES_TABLE: tables.quotes,
    ORDERS_QUEUE_URL: queues.orders,
    ORDER_EVENTS_TOPIC_ARN: orderEventsTopicArn,
    AUDIT_TABLE: tables.audit,
    STATEMENTS_TABLE: tables.statements,
    CONSOLIDATE_FUNCTION_NAME: "consolidate-portfolio",
    PERSONAL_DATA_KEY_ARN: STUB_KEY_ARN,
    POWERTOOLS_SERVICE_NAME: "brokerage-test",
    POWERTOOLS_LOG_LEVEL: "INFO",
    ...extraEnv,
  });

  const db = DynamoDBDocumentClient.from(raw);
  const sqs = new SQSClient({ endpoint: server.url, region: "us-east-1", credentials });
  const kmsClient = new KMSClient({ endpoint: server.url, region: "us-east-1", credentials });
  return {
    cipher: new KmsFieldCipher(STUB_KEY_ARN, kmsClient),
    endpoint: server.url,
    db,
    sqs,
    tables,
    queues,
    orderEventsTopicArn,
    invocations,
    requests,
    async stop() {
      db.destroy();
      sqs.destroy();
      kmsClient.destroy();
      await snsService.stop();
      await sqsService.stop();
      await dynamo.stop();
      await server.close();
    },
  };
}
