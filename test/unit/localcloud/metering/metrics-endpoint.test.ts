/**
 * The meter against the real emulators: a known sequence of SDK calls on an in-memory
 * local cloud, and what `GET /_localcloud/metrics` then reports.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CreateTableCommand, DynamoDBClient, PutItemCommand, TransactWriteItemsCommand, GetItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { startLocalCloud, type LocalCloud } from "../../../../localcloud/cloud.ts";
import type { UsageSnapshot } from "../../../../localcloud/metering/usage.ts";

const credentials = { accessKeyId: "metering-test", secretAccessKey: "x" };

/** A cloud assembly with a function of 512 MB that sleeps about 20 ms, and one that keeps its thread busy (tens of ms of CPU). */
function assemblyWithFunction(): string {
  const dir = mkdtempSync(join(tmpdir(), "metering-assembly-"));
  mkdirSync(join(dir, "fn"));
  writeFileSync(join(dir, "fn", "index.js"), "exports.handler = async () => { await new Promise((r) => setTimeout(r, 20)); return { ok: true }; };\n");
  mkdirSync(join(dir, "burn"));
  // A fixed amount of work, not a fixed time: its CPU time does not shrink when other work shares the cores.
  writeFileSync(join(dir, "burn", "index.js"), "exports.handler = async () => { let x = 0; for (let i = 0; i < 5e6; i++) x += Math.sqrt(x + 1); return { x }; };\n");
  writeFileSync(
    join(dir, "Metered.template.json"),
    JSON.stringify({
      Resources: {
        Sleeper: {
          Type: "AWS::Lambda::Function",
          Properties: { FunctionName: "metered-sleeper", Handler: "index.handler", Runtime: "nodejs22.x", MemorySize: 512, Timeout: 5, Architectures: ["arm64"], Code: { S3Bucket: "assets", S3Key: "fn.zip" } },
        },
        Burner: {
          Type: "AWS::Lambda::Function",
          Properties: { FunctionName: "metered-burner", Handler: "index.handler", Runtime: "nodejs22.x", MemorySize: 128, Timeout: 5, Code: { S3Bucket: "assets", S3Key: "burn.zip" } },
        },
      },
    }),
  );
  const asset = (folder: string) => ({ source: { path: folder, packaging: "zip" }, destinations: { local: { bucketName: "assets", objectKey: `${folder}.zip` } } });
  writeFileSync(join(dir, "Metered.assets.json"), JSON.stringify({ version: "1", files: { fn: asset("fn"), burn: asset("burn") } }));
  writeFileSync(
    join(dir, "manifest.json"),
    JSON.stringify({
      version: "1",
      artifacts: {
        "Metered.assets": { type: "cdk:asset-manifest", properties: { file: "Metered.assets.json" } },
        Metered: { type: "aws:cloudformation:stack", properties: { templateFile: "Metered.template.json" } },
      },
    }),
  );
  return dir;
}

describe("GET /_localcloud/metrics", () => {
  let cloud: LocalCloud;
  let assembly: string;
  let dynamo: DynamoDBClient;
  let sqs: SQSClient;
  let lambda: LambdaClient;
  let queueUrl: string;

  const metrics = async (): Promise<UsageSnapshot> => {
    const response = await fetch(`${cloud.endpoint}/_localcloud/metrics`);
    assert.equal(response.status, 200);
    return (await response.json()) as UsageSnapshot;
  };
  const reset = async () => assert.equal((await fetch(`${cloud.endpoint}/_localcloud/metrics/reset`, { method: "POST" })).status, 200);
  const mine = <T extends { caller: string }>(rows: readonly T[]) => rows.filter((row) => row.caller === credentials.accessKeyId);

  before(async () => {
    cloud = await startLocalCloud({ port: 0, dataDir: "", inMemory: true });
    assembly = assemblyWithFunction();
    await cloud.deploy(assembly);
    const config = { endpoint: cloud.endpoint, region: "us-east-1", credentials, maxAttempts: 1 };
    dynamo = new DynamoDBClient(config);
    sqs = new SQSClient(config);
    lambda = new LambdaClient(config);
    await dynamo.send(
      new CreateTableCommand({
        TableName: "metered",
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
      }),
    );
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "metered.fifo", Attributes: { FifoQueue: "true", ContentBasedDeduplication: "true" } }))).QueueUrl ?? "";
    await reset();
  });

  after(async () => {
    dynamo.destroy();
    sqs.destroy();
    lambda.destroy();
    await cloud.stop();
    rmSync(assembly, { recursive: true, force: true });
  });

  it("counts DynamoDB request units by table and operation, as on-demand bills them", async () => {
    // pk (2) + "a" (1) + sk (2) + "a" (1) + data (4) + 2,540 = 2,550 bytes: 3 write units.
    await dynamo.send(new PutItemCommand({ TableName: "metered", Item: { pk: { S: "a" }, sk: { S: "a" }, data: { S: "x".repeat(2540) } } }));
    // Two small new items in a transaction: 2 units each.
    await dynamo.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: "metered", Item: { pk: { S: "b" }, sk: { S: "1" } } } },
          { Put: { TableName: "metered", Item: { pk: { S: "b" }, sk: { S: "2" } } } },
        ],
      }),
    );
    // Eventually consistent read of the 2.5 KB item: half a unit; strongly consistent: 1.
    const got = await dynamo.send(new GetItemCommand({ TableName: "metered", Key: { pk: { S: "a" }, sk: { S: "a" } } }));
    assert.equal(got.ConsumedCapacity, undefined, "the metering must not leak ConsumedCapacity to a client that did not ask");
    assert.equal(got.Item?.["data"]?.S?.length, 2540);
    const asked = await dynamo.send(new GetItemCommand({ TableName: "metered", Key: { pk: { S: "a" }, sk: { S: "a" } }, ConsistentRead: true, ReturnConsumedCapacity: "TOTAL" }));
    assert.equal(asked.ConsumedCapacity?.CapacityUnits, 1);
    // A Query reading both small items: one unit for the page, halved.
    await dynamo.send(new QueryCommand({ TableName: "metered", KeyConditionExpression: "pk = :b", ExpressionAttributeValues: { ":b": { S: "b" } } }));

    const rows = mine((await metrics()).dynamodb);
    const find = (operation: string) => rows.find((row) => row.operation === operation && row.table === "metered");
    assert.deepEqual(
      { put: find("PutItem"), transact: find("TransactWriteItems"), get: find("GetItem"), query: find("Query") },
      {
        put: { caller: "metering-test", table: "metered", operation: "PutItem", requests: 1, readUnits: 0, writeUnits: 3 },
        transact: { caller: "metering-test", table: "metered", operation: "TransactWriteItems", requests: 1, readUnits: 0, writeUnits: 4 },
        get: { caller: "metering-test", table: "metered", operation: "GetItem", requests: 2, readUnits: 1.5, writeUnits: 0 },
        query: { caller: "metering-test", table: "metered", operation: "Query", requests: 1, readUnits: 0.5, writeUnits: 0 },
      },
    );
  });

  it("counts SQS calls: a batch of three is one request, a receive one more", async () => {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [1, 2, 3].map((n) => ({ Id: String(n), MessageBody: `m${n}`, MessageGroupId: "g" })),
      }),
    );
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    assert.ok((received.Messages?.length ?? 0) > 0);
    const rows = mine((await metrics()).sqs);
    const send = rows.find((row) => row.action === "SendMessageBatch");
    const receive = rows.find((row) => row.action === "ReceiveMessage");
    assert.deepEqual(send, { caller: "metering-test", queue: "metered.fifo", fifo: true, action: "SendMessageBatch", requests: 1, billedRequests: 1, messages: 3, emptyReceives: 0 });
    assert.equal(receive?.requests, 1);
    assert.equal(receive?.billedRequests, 1);
    assert.equal(receive?.messages, received.Messages?.length);
  });

  it("counts Lambda invocations and GB-seconds at the configured memory size", async () => {
    const answer = await lambda.send(new InvokeCommand({ FunctionName: "metered-sleeper", Payload: Buffer.from("{}") }));
    assert.equal(answer.FunctionError, undefined);
    const snapshot = await metrics();
    const row = snapshot.lambda.find((entry) => entry.functionName === "metered-sleeper");
    assert.ok(row, "the function's invocation is metered");
    assert.equal(row.invocations, 1);
    assert.equal(row.memorySizeMb, 512);
    assert.equal(row.architecture, "arm64");
    assert.ok(row.billedMs >= 20 && Number.isInteger(row.billedMs), `billed ${row.billedMs} ms`);
    assert.ok(Math.abs(row.gbSeconds - (row.billedMs / 1000) * 0.5) < 1e-9);
    assert.equal(snapshot.inFlight.lambdaInvocations, 0);
  });

  it("measures each invocation's sandbox CPU: a busy function uses its duration in CPU, a sleeping one far less", async () => {
    // Warm both first, so the cold start's module load is not in what is compared.
    for (const name of ["metered-sleeper", "metered-burner"]) await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from("{}") }));
    const before = await metrics();
    for (const name of ["metered-sleeper", "metered-burner"]) await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from("{}") }));
    const after = await metrics();
    const cpuOf = (name: string) => {
      const row = (snapshot: UsageSnapshot) => snapshot.lambda.find((entry) => entry.functionName === name);
      return (row(after)?.cpuMs ?? Number.NaN) - (row(before)?.cpuMs ?? Number.NaN);
    };
    const busy = cpuOf("metered-burner");
    const sleeping = cpuOf("metered-sleeper");
    assert.ok(busy >= 20, `the busy function used ${busy} ms of CPU`);
    assert.ok(sleeping < 15 && sleeping * 3 < busy, `the sleeping function used ${sleeping} ms of CPU, the busy one ${busy}`);
  });

  it("forgets the counters on reset", async () => {
    await reset();
    const snapshot = await metrics();
    assert.deepEqual([snapshot.dynamodb, snapshot.sqs, snapshot.lambda, snapshot.apigateway], [[], [], [], []]);
  });
});
