import { DynamoDBClient, CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { startHttpServer, type RunningHttpServer } from "../../../../localcloud/http-server.ts";
import type { CloudContext } from "../../../../localcloud/types.ts";
import { DynamoDbService, type DynamoDbStartOptions } from "../../../../localcloud/dynamodb/index.ts";

export interface RunningDynamoDb {
  readonly service: DynamoDbService;
  readonly client: DynamoDBClient;
  readonly documents: DynamoDBDocumentClient;
  readonly logLines: string[];
  stop(): Promise<void>;
}

export function cloudContext(dataDir: string, logLines: string[] = []): CloudContext {
  return {
    region: "us-east-1",
    accountId: "000000000000",
    endpoint: "http://localhost:4566",
    dataDir,
    log: (source, line) => logLines.push(`${source}: ${line}`),
  };
}

/** The service behind a loopback HTTP server, with SDK clients pointed at it. */
export async function startDynamoDb(options: DynamoDbStartOptions & { dataDir?: string } = { inMemory: true }): Promise<RunningDynamoDb> {
  const logLines: string[] = [];
  const service = await DynamoDbService.start(cloudContext(options.dataDir ?? "unused", logLines), options);
  const server: RunningHttpServer = await startHttpServer((request) => service.handle(request));
  const client = new DynamoDBClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  return {
    service,
    client,
    documents: DynamoDBDocumentClient.from(client),
    logLines,
    async stop() {
      client.destroy();
      await server.close();
      await service.stop();
    },
  };
}

/** A table keyed by a string `pk`. */
export async function createAccountsTable(client: DynamoDBClient, tableName = "accounts"): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
}
