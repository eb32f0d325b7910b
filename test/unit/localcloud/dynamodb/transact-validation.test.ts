import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { GetCommand, TransactGetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { createAccountsTable, startDynamoDb, type RunningDynamoDb } from "./fixture.ts";

describe("transaction requests AWS would refuse", () => {
  let dynamo: RunningDynamoDb;
  before(async () => {
    dynamo = await startDynamoDb({ inMemory: true });
    await createAccountsTable(dynamo.client);
  });
  after(() => dynamo.stop());

  const put = (pk: string) => ({ Put: { TableName: "accounts", Item: { pk, balance: 1 } } });
  const rejectsWith = (name: string, message: RegExp) => (error: unknown) => {
    assert.ok(error instanceof Error);
    assert.equal(error.name, name);
    assert.match(error.message, message);
    return true;
  };

  test("two operations on the same item", async () => {
    await assert.rejects(
      dynamo.documents.send(
        new TransactWriteCommand({
          TransactItems: [put("x"), { Delete: { TableName: "accounts", Key: { pk: "x" } } }],
        }),
      ),
      rejectsWith("ValidationException", /multiple operations on one item/),
    );
    const got = await dynamo.documents.send(new GetCommand({ TableName: "accounts", Key: { pk: "x" } }));
    assert.equal(got.Item, undefined);
  });

  test("more than 100 items", async () => {
    const items = Array.from({ length: 101 }, (_, index) => put(`item-${index}`));
    await assert.rejects(
      dynamo.documents.send(new TransactWriteCommand({ TransactItems: items })),
      rejectsWith("ValidationException", /less than or equal to 100/),
    );
  });

  test("exactly 100 items are accepted", async () => {
    const items = Array.from({ length: 100 }, (_, index) => put(`item-${index}`));
    await dynamo.documents.send(new TransactWriteCommand({ TransactItems: items }));
    const last = await dynamo.documents.send(new GetCommand({ TableName: "accounts", Key: { pk: "item-99" } }));
    assert.equal(last.Item?.["balance"], 1);
  });

  test("an unknown table, in a write and in a read", async () => {
    await assert.rejects(
      dynamo.documents.send(
        new TransactWriteCommand({ TransactItems: [put("y"), { Put: { TableName: "nope", Item: { pk: "y" } } }] }),
      ),
      rejectsWith("ResourceNotFoundException", /Requested resource not found/),
    );
    await assert.rejects(
      dynamo.documents.send(new TransactGetCommand({ TransactItems: [{ Get: { TableName: "nope", Key: { pk: "y" } } }] })),
      rejectsWith("ResourceNotFoundException", /Requested resource not found/),
    );
    const got = await dynamo.documents.send(new GetCommand({ TableName: "accounts", Key: { pk: "y" } }));
    assert.equal(got.Item, undefined);
  });

  test("a Put whose item lacks the key", async () => {
    await assert.rejects(
      dynamo.documents.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: "accounts", Item: { balance: 1 } } }] })),
      rejectsWith("ValidationException", /Missing the key pk/),
    );
  });
});
