import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { GetCommand, PutCommand, QueryCommand, TransactGetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { createAccountsTable, startDynamoDb, type RunningDynamoDb } from "./fixture.ts";

/** Lets pending I/O and promise callbacks run a few times over. */
async function letRun(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Records whether a request has answered yet. */
function watch<T>(promise: Promise<T>): { answered: () => boolean; result: Promise<T> } {
  let answered = false;
  const result = promise.finally(() => (answered = true));
  result.catch(() => {});
  return { answered: () => answered, result };
}

const add = (pk: string, change: number) => ({
  Update: { TableName: "accounts", Key: { pk }, UpdateExpression: "SET balance = balance + :c", ExpressionAttributeValues: { ":c": change } },
});

/**
 * A transfer that stops after its first item, holding its locks, until the test lets
 * it go (the crash hook of the fault injection): the moment a half-applied transaction
 * exists, to see who waits for it and who does not.
 */
describe("DynamoDB locks per item: a transaction stopped half-way", { timeout: 60_000 }, () => {
  let dynamo: RunningDynamoDb;
  let reachedHalfway: () => void = () => {};
  const halfway = new Promise<void>((resolve) => (reachedHalfway = resolve));
  let letGo: () => void = () => {};
  const released = new Promise<void>((resolve) => (letGo = resolve));
  let transfer: ReturnType<typeof watch>;

  before(async () => {
    dynamo = await startDynamoDb({
      inMemory: true,
      faultInjection: {
        // Only transactions of two or more entries stop; one-entry ones run through.
        crashAfterAppliedItems: 1,
        crash: async () => {
          reachedHalfway();
          await released;
          throw new Error("let go");
        },
      },
    });
    await createAccountsTable(dynamo.client);
    await createAccountsTable(dynamo.client, "other");
    for (const pk of ["a", "b", "c"]) await dynamo.documents.send(new PutCommand({ TableName: "accounts", Item: { pk, balance: 100 } }));
    await dynamo.documents.send(new PutCommand({ TableName: "other", Item: { pk: "o", balance: 1 } }));
    transfer = watch(dynamo.documents.send(new TransactWriteCommand({ TransactItems: [add("a", -7), add("b", 7)] })));
    await halfway;
  });
  after(async () => {
    letGo();
    await transfer.result.catch(() => undefined);
    await dynamo.stop();
  });

  test("a transaction on other items runs to the end meanwhile", async () => {
    await dynamo.documents.send(new TransactWriteCommand({ TransactItems: [add("c", 1)] }));
    const c = await dynamo.documents.send(new GetCommand({ TableName: "accounts", Key: { pk: "c" } }));
    assert.equal(c.Item?.["balance"], 101);
    assert.equal(transfer.answered(), false);
  });

  test("reads of items outside the transaction, and queries of other tables, are answered meanwhile", async () => {
    const c = await dynamo.documents.send(new TransactGetCommand({ TransactItems: [{ Get: { TableName: "accounts", Key: { pk: "c" } } }] }));
    assert.equal(c.Responses?.[0]?.Item?.["pk"], "c");
    const other = await dynamo.documents.send(
      new QueryCommand({ TableName: "other", KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": "o" } }),
    );
    assert.equal(other.Count, 1);
  });

  test("GetItem, TransactGetItems, a write and a Query touching the transaction wait until it ends", async () => {
    const get = watch(dynamo.documents.send(new GetCommand({ TableName: "accounts", Key: { pk: "a" }, ConsistentRead: true })));
    const transactGet = watch(
      dynamo.documents.send(new TransactGetCommand({ TransactItems: [{ Get: { TableName: "accounts", Key: { pk: "b" } } }] })),
    );
    const put = watch(dynamo.documents.send(new PutCommand({ TableName: "accounts", Item: { pk: "b", balance: 0 } })));
    const query = watch(
      dynamo.documents.send(
        new QueryCommand({ TableName: "accounts", KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": "c" } }),
      ),
    );
    // Something else is answered in the meantime, so the waiting ones had every chance.
    await dynamo.documents.send(new GetCommand({ TableName: "accounts", Key: { pk: "c" } }));
    await letRun();
    assert.deepEqual([get.answered(), transactGet.answered(), put.answered(), query.answered()], [false, false, false, false]);

    letGo();
    await assert.rejects(transfer.result);
    // The simulated crash left its first item applied (recovery would undo it on restart);
    // the reads that waited see the state after it, never a state in the middle of it.
    assert.equal((await get.result).Item?.["balance"], 93);
    assert.ok((await transactGet.result).Responses?.[0]?.Item !== undefined);
    await put.result;
    assert.equal((await query.result).Count, 1);
  });
});
