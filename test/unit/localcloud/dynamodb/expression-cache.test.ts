import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { expressionCacheCounts } from "../../../../localcloud/dynamodb/expressions/dynalite-parsers.ts";
import { createAccountsTable, startDynamoDb, type RunningDynamoDb } from "./fixture.ts";

const isError = (name: string, message?: RegExp) => (error: unknown) =>
  error instanceof Error && error.name === name && (message === undefined || message.test(error.message));

describe("DynamoDB with repeated expressions", () => {
  let dynamo: RunningDynamoDb;
  const itemOf = async (pk: string) => (await dynamo.documents.send(new GetCommand({ TableName: "accounts", Key: { pk } }))).Item;
  before(async () => {
    dynamo = await startDynamoDb({ inMemory: true });
    await createAccountsTable(dynamo.client);
  });
  after(() => dynamo.stop());

  test("one update expression with other values each time writes each request's values", async () => {
    const hitsBefore = expressionCacheCounts().hits;
    for (const [status, balance] of [["NEW", 1], ["FILLED", 2], ["REJECTED", 3]] as const) {
      await dynamo.documents.send(
        new UpdateCommand({
          TableName: "accounts",
          Key: { pk: "order-1" },
          UpdateExpression: "SET #f = :v, balance = :b",
          ExpressionAttributeNames: { "#f": "status" },
          ExpressionAttributeValues: { ":v": status, ":b": balance },
        }),
      );
      assert.deepEqual(await itemOf("order-1"), { pk: "order-1", status, balance });
    }
    assert.ok(expressionCacheCounts().hits >= hitsBefore + 2);
  });

  test("one expression with other attribute names reads the attribute each request names", async () => {
    await dynamo.documents.send(new PutCommand({ TableName: "accounts", Item: { pk: "order-2", status: "NEW" } }));
    const setIfAbsent = (name: string, value: string) =>
      dynamo.documents.send(
        new UpdateCommand({
          TableName: "accounts",
          Key: { pk: "order-2" },
          UpdateExpression: "SET #f = :v",
          ConditionExpression: "attribute_not_exists(#f)",
          ExpressionAttributeNames: { "#f": name },
          ExpressionAttributeValues: { ":v": value },
        }),
      );
    await assert.rejects(setIfAbsent("status", "FILLED"), isError("ConditionalCheckFailedException"));
    await setIfAbsent("note", "first");
    await assert.rejects(setIfAbsent("note", "second"), isError("ConditionalCheckFailedException"));
    assert.deepEqual(await itemOf("order-2"), { pk: "order-2", status: "NEW", note: "first" });
  });

  test("a condition on a value passes or fails by each request's value", async () => {
    await dynamo.documents.send(new PutCommand({ TableName: "accounts", Item: { pk: "order-3", balance: 10 } }));
    const debit = (amount: number) =>
      dynamo.documents.send(
        new UpdateCommand({
          TableName: "accounts",
          Key: { pk: "order-3" },
          UpdateExpression: "SET balance = balance - :a",
          ConditionExpression: "balance >= :a",
          ExpressionAttributeValues: { ":a": amount },
        }),
      );
    await debit(4);
    await assert.rejects(debit(7), isError("ConditionalCheckFailedException"));
    await debit(6);
    assert.deepEqual(await itemOf("order-3"), { pk: "order-3", balance: 0 });
  });

  test("a value of another type in a cached expression is refused as DynamoDB refuses it", async () => {
    const add = (value: unknown) =>
      dynamo.documents.send(
        new UpdateCommand({ TableName: "accounts", Key: { pk: "order-4" }, UpdateExpression: "SET balance = balance + :a", ExpressionAttributeValues: { ":a": value } }),
      );
    await dynamo.documents.send(new PutCommand({ TableName: "accounts", Item: { pk: "order-4", balance: 1 } }));
    await add(2);
    await assert.rejects(add("two"), isError("ValidationException", /Incorrect operand type for operator or function; operator or function: \+, operand type: S/));
    assert.deepEqual(await itemOf("order-4"), { pk: "order-4", balance: 3 });
  });

  test("an invalid expression is a ValidationException every time it is sent", async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      await assert.rejects(
        dynamo.documents.send(new UpdateCommand({ TableName: "accounts", Key: { pk: "order-5" }, UpdateExpression: "SET status = " })),
        isError("ValidationException", /^Invalid UpdateExpression: Syntax error/),
      );
    }
    assert.equal(await itemOf("order-5"), undefined);
  });

  test("a name left unused beside a cached expression is refused every time", async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      await assert.rejects(
        dynamo.documents.send(
          new UpdateCommand({
            TableName: "accounts",
            Key: { pk: "order-6" },
            UpdateExpression: "SET #f = :v",
            ExpressionAttributeNames: { "#f": "status", "#unused": "note" },
            ExpressionAttributeValues: { ":v": "NEW" },
          }),
        ),
        isError("ValidationException", /unused in expressions: keys: \{#unused\}/),
      );
    }
  });
});
