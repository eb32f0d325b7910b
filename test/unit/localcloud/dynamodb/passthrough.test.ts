import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { DescribeTableCommand, GetItemCommand, ListTablesCommand, PutItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import { createAccountsTable, startDynamoDb, type RunningDynamoDb } from "./fixture.ts";

describe("DynamoDbService forwards ordinary operations to dynalite", () => {
  let dynamo: RunningDynamoDb;
  before(async () => {
    dynamo = await startDynamoDb({ inMemory: true });
  });
  after(() => dynamo.stop());

  test("a created table is ACTIVE at once and listed", async () => {
    await createAccountsTable(dynamo.client);
    const described = await dynamo.client.send(new DescribeTableCommand({ TableName: "accounts" }));
    assert.equal(described.Table?.TableStatus, "ACTIVE");
    const listed = await dynamo.client.send(new ListTablesCommand({}));
    assert.deepEqual(listed.TableNames, ["accounts"]);
  });

  test("an item put is read back, by GetItem and by Query", async () => {
    await dynamo.client.send(new PutItemCommand({ TableName: "accounts", Item: { pk: { S: "user-1" }, cash: { N: "100.5" } } }));
    const got = await dynamo.client.send(new GetItemCommand({ TableName: "accounts", Key: { pk: { S: "user-1" } } }));
    assert.deepEqual(got.Item, { pk: { S: "user-1" }, cash: { N: "100.5" } });
    const queried = await dynamo.client.send(
      new QueryCommand({
        TableName: "accounts",
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": { S: "user-1" } },
      }),
    );
    assert.equal(queried.Count, 1);
  });

  test("dynalite's errors reach the SDK with their AWS names", async () => {
    await assert.rejects(
      dynamo.client.send(new GetItemCommand({ TableName: "missing", Key: { pk: { S: "x" } } })),
      (error: unknown) => error instanceof Error && error.name === "ResourceNotFoundException",
    );
    await assert.rejects(
      dynamo.client.send(
        new PutItemCommand({
          TableName: "accounts",
          Item: { pk: { S: "user-1" } },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      ),
      (error: unknown) => error instanceof Error && error.name === "ConditionalCheckFailedException",
    );
  });
});
