import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { createAccountsTable, startDynamoDb } from "./fixture.ts";

describe("DynamoDbService persistence", () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), "dynamodb-service-"));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test("a table and its items survive stop() and start()", async () => {
    const first = await startDynamoDb({ dataDir });
    await createAccountsTable(first.client);
    await first.documents.send(new PutCommand({ TableName: "accounts", Item: { pk: "kept", balance: 7 } }));
    await first.documents.send(
      new TransactWriteCommand({ TransactItems: [{ Put: { TableName: "accounts", Item: { pk: "by-transaction", balance: 3 } } }] }),
    );
    await first.stop();

    const second = await startDynamoDb({ dataDir });
    try {
      const tables = await second.client.send(new ListTablesCommand({}));
      assert.deepEqual(tables.TableNames, ["accounts"]);
      const kept = await second.documents.send(new GetCommand({ TableName: "accounts", Key: { pk: "kept" } }));
      assert.deepEqual(kept.Item, { pk: "kept", balance: 7 });
      const viaTransaction = await second.documents.send(new GetCommand({ TableName: "accounts", Key: { pk: "by-transaction" } }));
      assert.equal(viaTransaction.Item?.["balance"], 3);
    } finally {
      await second.stop();
    }
  });

  test("reset starts with no tables", async () => {
    const reset = await startDynamoDb({ dataDir, reset: true });
    try {
      const tables = await reset.client.send(new ListTablesCommand({}));
      assert.deepEqual(tables.TableNames, []);
    } finally {
      await reset.stop();
    }
  });
});
