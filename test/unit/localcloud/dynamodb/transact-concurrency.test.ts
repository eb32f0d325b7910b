import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, TransactGetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { createAccountsTable, startDynamoDb, type RunningDynamoDb } from "./fixture.ts";

describe("concurrent transactions", () => {
  let dynamo: RunningDynamoDb;
  before(async () => {
    dynamo = await startDynamoDb({ inMemory: true });
    await createAccountsTable(dynamo.client);
  });
  after(() => dynamo.stop());

  test("50 concurrent 'debit 10 if balance >= 10' on 200 succeed exactly 20 times", async () => {
    await dynamo.documents.send(new PutCommand({ TableName: "accounts", Item: { pk: "wallet", balance: 200 } }));
    const debitOnce = () =>
      dynamo.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: "accounts",
                Key: { pk: "wallet" },
                UpdateExpression: "SET balance = balance - :ten",
                ConditionExpression: "balance >= :ten",
                ExpressionAttributeValues: { ":ten": 10 },
              },
            },
          ],
        }),
      );
    const results = await Promise.allSettled(Array.from({ length: 50 }, debitOnce));

    const succeeded = results.filter((result) => result.status === "fulfilled").length;
    const cancelled = results.filter(
      (result) => result.status === "rejected" && result.reason instanceof TransactionCanceledException,
    ).length;
    assert.equal(succeeded, 20);
    assert.equal(cancelled, 30);
    const wallet = await dynamo.documents.send(new GetCommand({ TableName: "accounts", Key: { pk: "wallet" } }));
    assert.equal(wallet.Item?.["balance"], 0);
  });

  test("readers never see a transfer half-applied while transfers run concurrently", async () => {
    await dynamo.documents.send(new PutCommand({ TableName: "accounts", Item: { pk: "a", balance: 1000 } }));
    await dynamo.documents.send(new PutCommand({ TableName: "accounts", Item: { pk: "b", balance: 1000 } }));
    const transfer = (from: string, to: string) =>
      dynamo.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: { TableName: "accounts", Key: { pk: from }, UpdateExpression: "SET balance = balance - :n", ExpressionAttributeValues: { ":n": 7 } } },
            { Update: { TableName: "accounts", Key: { pk: to }, UpdateExpression: "SET balance = balance + :n", ExpressionAttributeValues: { ":n": 7 } } },
          ],
        }),
      );
    const readTotal = async (): Promise<number> => {
      const read = await dynamo.documents.send(
        new TransactGetCommand({
          TransactItems: [{ Get: { TableName: "accounts", Key: { pk: "a" } } }, { Get: { TableName: "accounts", Key: { pk: "b" } } }],
        }),
      );
      return read.Responses?.reduce((sum, response) => sum + Number(response?.Item?.["balance"]), 0) ?? Number.NaN;
    };

    const transfers = Array.from({ length: 30 }, (_, index) => (index % 2 === 0 ? transfer("a", "b") : transfer("b", "a")));
    const totals = await Promise.all(Array.from({ length: 30 }, readTotal));
    await Promise.all(transfers);

    assert.deepEqual(new Set(totals), new Set([2000]));
    assert.equal(await readTotal(), 2000);
  });
});
