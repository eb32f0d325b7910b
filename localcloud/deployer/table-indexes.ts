import {
  type AttributeDefinition,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  UpdateTableCommand,
} from "@aws-sdk/client-dynamodb";
import type { CloudContext } from "../types.ts";

/**
 * A table kept from an earlier run may lack indexes the template has since gained.
 * Adds them with UpdateTable, then checks: dynalite accepts GlobalSecondaryIndexUpdates
 * Create without error but does not build the index, so the check is what tells.
 * Returns the names of the indexes still missing.
 */
export async function addMissingIndexes(client: DynamoDBClient, ctx: CloudContext, wanted: CreateTableCommandInput): Promise<string[]> {
  const templateIndexes = wanted.GlobalSecondaryIndexes ?? [];
  if (templateIndexes.length === 0) return [];
  const missing = await missingIndexes(client, wanted.TableName ?? "", templateIndexes);
  if (missing.length === 0) return [];

  for (const index of missing) {
    try {
      await client.send(
        new UpdateTableCommand({
          TableName: wanted.TableName,
          AttributeDefinitions: definitionsFor(index, wanted.AttributeDefinitions ?? []),
          GlobalSecondaryIndexUpdates: [{ Create: index }],
        }),
      );
    } catch (error) {
      ctx.log("deploy", `table ${wanted.TableName}: could not add index ${index.IndexName}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const stillMissing = (await missingIndexes(client, wanted.TableName ?? "", templateIndexes)).map((index) => index.IndexName ?? "");
  if (stillMissing.length > 0) {
    ctx.log(
      "deploy",
      `table ${wanted.TableName} was kept from an earlier run and lacks the index(es) ${stillMissing.join(", ")}, ` +
        "which the local DynamoDB cannot add to an existing table. Queries on them will fail. " +
        "Run `npm start -- --reset` to start from empty tables with every index.",
    );
  }
  return stillMissing;
}

async function missingIndexes(client: DynamoDBClient, tableName: string, wanted: readonly GlobalSecondaryIndex[]): Promise<GlobalSecondaryIndex[]> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  return wanted.filter((index) => !present.has(index.IndexName));
}

/** The attribute definitions an index's key schema names. */
function definitionsFor(index: GlobalSecondaryIndex, all: readonly AttributeDefinition[]): AttributeDefinition[] {
  const names = new Set((index.KeySchema ?? []).map((key) => key.AttributeName));
  return all.filter((definition) => names.has(definition.AttributeName));
}
