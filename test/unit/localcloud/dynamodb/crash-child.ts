/**
 * Run by crash-recovery.test.ts as its own process: starts the service on the folder
 * given as argument, seeds alice (100) and bob (50), then begins a transaction that
 * debits alice, credits bob and creates carol, which hangs after its first item.
 * Prints "crashed" at that moment and waits to be killed.
 */
import { PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { createAccountsTable, startDynamoDb } from "./fixture.ts";

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error("usage: crash-child.ts <data folder>");

const hangForever = (): Promise<never> => {
  process.stdout.write("crashed\n");
  return new Promise<never>(() => {});
};
const dynamo = await startDynamoDb({ dataDir, faultInjection: { crashAfterAppliedItems: 1, crash: hangForever } });
await createAccountsTable(dynamo.client);
await dynamo.documents.send(new PutCommand({ TableName: "accounts", Item: { pk: "alice", balance: 100 } }));
await dynamo.documents.send(new PutCommand({ TableName: "accounts", Item: { pk: "bob", balance: 50 } }));
const add = (pk: string, change: number) => ({
  Update: { TableName: "accounts", Key: { pk }, UpdateExpression: "SET balance = balance + :c", ExpressionAttributeValues: { ":c": change } },
});
// Never answered: the hook hangs while holding the lock, until the test kills this process.
void dynamo.documents.send(
  new TransactWriteCommand({
    TransactItems: [add("alice", -30), add("bob", 30), { Put: { TableName: "accounts", Item: { pk: "carol", balance: 30 } } }],
  }),
);
