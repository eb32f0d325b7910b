import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { TransactionCanceledException, TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { createAccountsTable, startDynamoDb, type RunningDynamoDb } from "./fixture.ts";

describe("TransactWriteItems", () => {
  let dynamo: RunningDynamoDb;
  const balanceOf = async (pk: string): Promise<unknown> =>
    (await dynamo.documents.send(new GetCommand({ TableName: "accounts", Key: { pk } }))).Item?.["balance"];
  const debit = (pk: string, amount: number) => ({
    Update: {
      TableName: "accounts",
      Key: { pk },
      UpdateExpression: "SET balance = balance - :amount",
      ConditionExpression: "balance >= :amount",
      ExpressionAttributeValues: { ":amount": amount },
    },
  });
  const credit = (pk: string, amount: number) => ({
    Update: {
      TableName: "accounts",
      Key: { pk },
      UpdateExpression: "SET balance = balance + :amount",
      ExpressionAttributeValues: { ":amount": amount },
    },
  });

  before(async () => {
    dynamo = await startDynamoDb({ inMemory: true });
    await createAccountsTable(dynamo.client);
    await createAccountsTable(dynamo.client, "ledger");
  });
  after(() => dynamo.stop());
  beforeEach(async () => {
    for (const [pk, balance] of [["alice", 100], ["bob", 50], ["carol", 0]] as const) {
      await dynamo.documents.send(new PutCommand({ TableName: "accounts", Item: { pk, balance } }));
    }
  });

  test("moving money between two items commits both sides", async () => {
    await dynamo.documents.send(new TransactWriteCommand({ TransactItems: [debit("alice", 30), credit("bob", 30)] }));
    assert.equal(await balanceOf("alice"), 70);
    assert.equal(await balanceOf("bob"), 80);
  });

  test("Put, Delete and ConditionCheck apply together across tables", async () => {
    await dynamo.documents.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: "ledger", Item: { pk: "entry-1", amount: 5 }, ConditionExpression: "attribute_not_exists(pk)" } },
          { Delete: { TableName: "accounts", Key: { pk: "carol" }, ConditionExpression: "balance = :zero", ExpressionAttributeValues: { ":zero": 0 } } },
          { ConditionCheck: { TableName: "accounts", Key: { pk: "alice" }, ConditionExpression: "attribute_exists(pk)" } },
          { ConditionCheck: { TableName: "accounts", Key: { pk: "nobody" }, ConditionExpression: "attribute_not_exists(pk)" } },
        ],
      }),
    );
    const entry = await dynamo.documents.send(new GetCommand({ TableName: "ledger", Key: { pk: "entry-1" } }));
    assert.deepEqual(entry.Item, { pk: "entry-1", amount: 5 });
    assert.equal(await balanceOf("carol"), undefined);
    assert.equal(await balanceOf("alice"), 100);
    const nobody = await dynamo.documents.send(new GetCommand({ TableName: "accounts", Key: { pk: "nobody" } }));
    assert.equal(nobody.Item, undefined, "a ConditionCheck on a missing item must not create it");
  });

  test("a failing condition on item 2 of 3 leaves every item untouched", async () => {
    const attempt = dynamo.documents.send(
      new TransactWriteCommand({
        TransactItems: [credit("alice", 1), debit("carol", 10), { Put: { TableName: "accounts", Item: { pk: "dave", balance: 9 } } }],
      }),
    );
    await assert.rejects(attempt, (error: unknown) => {
      assert.ok(error instanceof TransactionCanceledException);
      assert.deepEqual(
        error.CancellationReasons?.map((reason) => reason.Code),
        ["None", "ConditionalCheckFailed", "None"],
      );
      assert.equal(error.CancellationReasons?.[1]?.Message, "The conditional request failed");
      assert.match(error.message, /\[None, ConditionalCheckFailed, None\]/);
      return true;
    });
    assert.equal(await balanceOf("alice"), 100);
    assert.equal(await balanceOf("carol"), 0);
    assert.equal(await balanceOf("dave"), undefined);
  });

  test("every failing condition is reported, and a failing ConditionCheck blocks the writes", async () => {
    await assert.rejects(
      dynamo.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            debit("carol", 1),
            credit("bob", 1),
            { ConditionCheck: { TableName: "accounts", Key: { pk: "alice" }, ConditionExpression: "attribute_not_exists(pk)" } },
          ],
        }),
      ),
      (error: unknown) => {
        assert.ok(error instanceof TransactionCanceledException);
        assert.deepEqual(
          error.CancellationReasons?.map((reason) => reason.Code),
          ["ConditionalCheckFailed", "None", "ConditionalCheckFailed"],
        );
        return true;
      },
    );
    assert.equal(await balanceOf("bob"), 50);
  });

  test("ReturnValuesOnConditionCheckFailure ALL_OLD returns the item as it was", async () => {
    const attempt = dynamo.client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Update: {
              TableName: "accounts",
              Key: { pk: { S: "bob" } },
              UpdateExpression: "SET balance = balance - :amount",
              ConditionExpression: "balance >= :amount",
              ExpressionAttributeValues: { ":amount": { N: "500" } },
              ReturnValuesOnConditionCheckFailure: "ALL_OLD",
            },
          },
        ],
      }),
    );
    await assert.rejects(attempt, (error: unknown) => {
      assert.ok(error instanceof TransactionCanceledException);
      assert.deepEqual(error.CancellationReasons, [
        { Code: "ConditionalCheckFailed", Message: "The conditional request failed", Item: { pk: { S: "bob" }, balance: { N: "50" } } },
      ]);
      return true;
    });
  });

  test("an invalid expression is a ValidationException and nothing changes", async () => {
    await assert.rejects(
      dynamo.documents.send(
        new TransactWriteCommand({
          TransactItems: [credit("alice", 5), { Update: { TableName: "accounts", Key: { pk: "bob" }, UpdateExpression: "SET = oops" } }],
        }),
      ),
      (error: unknown) => error instanceof Error && error.name === "ValidationException",
    );
    assert.equal(await balanceOf("alice"), 100);
  });
});
