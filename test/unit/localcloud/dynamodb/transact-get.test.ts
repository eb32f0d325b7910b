import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { PutCommand, TransactGetCommand } from "@aws-sdk/lib-dynamodb";
import { createAccountsTable, startDynamoDb, type RunningDynamoDb } from "./fixture.ts";

describe("TransactGetItems", () => {
  let dynamo: RunningDynamoDb;
  before(async () => {
    dynamo = await startDynamoDb({ inMemory: true });
    await createAccountsTable(dynamo.client);
    await createAccountsTable(dynamo.client, "quotes");
    await dynamo.documents.send(new PutCommand({ TableName: "accounts", Item: { pk: "u1", cash: 10, name: "Ana" } }));
    await dynamo.documents.send(new PutCommand({ TableName: "quotes", Item: { pk: "PETR4", price: 40.55 } }));
  });
  after(() => dynamo.stop());

  test("answers one response per item, in request order, empty for a missing item", async () => {
    const read = await dynamo.documents.send(
      new TransactGetCommand({
        TransactItems: [
          { Get: { TableName: "quotes", Key: { pk: "PETR4" } } },
          { Get: { TableName: "accounts", Key: { pk: "missing" } } },
          { Get: { TableName: "accounts", Key: { pk: "u1" }, ProjectionExpression: "#n", ExpressionAttributeNames: { "#n": "name" } } },
        ],
      }),
    );
    assert.deepEqual(read.Responses, [{ Item: { pk: "PETR4", price: 40.55 } }, {}, { Item: { name: "Ana" } }]);
  });

  test("refuses the same item twice", async () => {
    const get = { Get: { TableName: "accounts", Key: { pk: "u1" } } };
    await assert.rejects(
      dynamo.documents.send(new TransactGetCommand({ TransactItems: [get, get] })),
      (error: unknown) => error instanceof Error && error.name === "ValidationException",
    );
  });
});
