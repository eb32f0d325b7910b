import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { GetCommand, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { ClientTokens } from "../../../../localcloud/dynamodb/client-tokens.ts";
import { createAccountsTable, startDynamoDb, type RunningDynamoDb } from "./fixture.ts";

const credit = (amount: number) => ({
  Update: {
    TableName: "accounts",
    Key: { pk: "saver" },
    UpdateExpression: "SET balance = balance + :n",
    ExpressionAttributeValues: { ":n": amount },
  },
});

describe("TransactWriteItems with a ClientRequestToken", () => {
  let dynamo: RunningDynamoDb;
  const balance = async (): Promise<unknown> =>
    (await dynamo.documents.send(new GetCommand({ TableName: "accounts", Key: { pk: "saver" } }))).Item?.["balance"];
  before(async () => {
    dynamo = await startDynamoDb({ inMemory: true });
    await createAccountsTable(dynamo.client);
    await dynamo.documents.send(new PutCommand({ TableName: "accounts", Item: { pk: "saver", balance: 0 } }));
  });
  after(() => dynamo.stop());

  test("the same request sent twice with one token commits once", async () => {
    const request = { TransactItems: [credit(5)], ClientRequestToken: "order-42" };
    await dynamo.documents.send(new TransactWriteCommand(request));
    await dynamo.documents.send(new TransactWriteCommand(request));
    assert.equal(await balance(), 5);
  });

  test("the same token with other items is an IdempotentParameterMismatchException", async () => {
    await assert.rejects(
      dynamo.documents.send(new TransactWriteCommand({ TransactItems: [credit(6)], ClientRequestToken: "order-42" })),
      (error: unknown) => error instanceof Error && error.name === "IdempotentParameterMismatchException",
    );
    assert.equal(await balance(), 5);
  });

  test("requests without an explicit token (the SDK makes one each time) all commit", async () => {
    await dynamo.documents.send(new TransactWriteCommand({ TransactItems: [credit(1)] }));
    await dynamo.documents.send(new TransactWriteCommand({ TransactItems: [credit(1)] }));
    assert.equal(await balance(), 7);
  });
});

describe("ClientTokens", () => {
  const input = { TransactItems: [credit(1)], ClientRequestToken: "t" };

  test("forgets a committed token after ten minutes", () => {
    const tokens = new ClientTokens();
    tokens.remember(input, 0);
    assert.equal(tokens.alreadyCommitted(input, 9 * 60_000), true);
    assert.equal(tokens.alreadyCommitted(input, 10 * 60_000), false);
  });

  test("ignores requests without a token", () => {
    const tokens = new ClientTokens();
    tokens.remember({ TransactItems: [] }, 0);
    assert.equal(tokens.alreadyCommitted({ TransactItems: [] }, 1), false);
  });
});
