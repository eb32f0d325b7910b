import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { GetCommand, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { JOURNAL_FILE_NAME } from "../../../../localcloud/dynamodb/write-journal.ts";
import { createAccountsTable, startDynamoDb, type RunningDynamoDb } from "./fixture.ts";

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = join(here, "..", "..", "..", "..");

const update = (pk: string, change: number, condition?: string) => ({
  Update: {
    TableName: "accounts",
    Key: { pk },
    UpdateExpression: "SET balance = balance + :change",
    ExpressionAttributeValues: { ":change": change },
    ...(condition === undefined ? {} : { ConditionExpression: condition }),
  },
});

async function itemOf(dynamo: RunningDynamoDb, pk: string): Promise<Record<string, unknown> | undefined> {
  const answer = await dynamo.documents.send(new GetCommand({ TableName: "accounts", Key: { pk }, ConsistentRead: true }));
  return answer.Item;
}

async function seed(dynamo: RunningDynamoDb, items: Record<string, number>): Promise<void> {
  await createAccountsTable(dynamo.client);
  for (const [pk, balance] of Object.entries(items)) {
    await dynamo.documents.send(new PutCommand({ TableName: "accounts", Item: { pk, balance } }));
  }
}

describe("TransactWriteItems survives a crash mid-transaction", () => {
  const folders: string[] = [];
  const freshFolder = (): string => {
    const folder = mkdtempSync(join(tmpdir(), "dynamodb-crash-"));
    folders.push(folder);
    return folder;
  };
  const journalOf = (dataDir: string): string => readFileSync(join(dataDir, "dynamodb", JOURNAL_FILE_NAME), "utf8");
  after(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

  test("an interrupted transaction is rolled back on the next start, a created item included", async () => {
    const dataDir = freshFolder();
    const crashing = await startDynamoDb({ dataDir, faultInjection: { crashAfterAppliedItems: 3 } });
    await seed(crashing, { alice: 100, bob: 50, dave: 7 });
    const attempt = crashing.documents.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: "accounts", Item: { pk: "carol", balance: 30 } } },
          { Delete: { TableName: "accounts", Key: { pk: "dave" } } },
          update("alice", -30),
          update("bob", 30),
        ],
      }),
    );
    await assert.rejects(attempt);
    // The simulated crash left the first three entries applied and nothing undone.
    assert.deepEqual(await itemOf(crashing, "carol"), { pk: "carol", balance: 30 });
    assert.equal(await itemOf(crashing, "dave"), undefined);
    assert.deepEqual(await itemOf(crashing, "alice"), { pk: "alice", balance: 70 });
    assert.deepEqual(await itemOf(crashing, "bob"), { pk: "bob", balance: 50 });
    assert.notEqual(journalOf(dataDir), "");
    await crashing.stop();

    const restarted = await startDynamoDb({ dataDir });
    try {
      assert.deepEqual(await itemOf(restarted, "alice"), { pk: "alice", balance: 100 });
      assert.deepEqual(await itemOf(restarted, "bob"), { pk: "bob", balance: 50 });
      assert.deepEqual(await itemOf(restarted, "dave"), { pk: "dave", balance: 7 });
      assert.equal(await itemOf(restarted, "carol"), undefined);
      assert.equal(journalOf(dataDir), "");
      const rollbacks = restarted.logLines.filter((line) => line.startsWith("dynamodb: rolled back"));
      assert.equal(rollbacks.length, 1);
      assert.match(rollbacks[0] ?? "", /accounts \{"pk":\{"S":"carol"\}\} deleted \(absent before\)/);
      assert.match(rollbacks[0] ?? "", /accounts \{"pk":\{"S":"dave"\}\} restored/);
    } finally {
      await restarted.stop();
    }
  });

  test("transactions interrupted at the same time are each rolled back from their own journal file", { timeout: 30_000 }, async () => {
    const dataDir = freshFolder();
    let reached = 0;
    let allReached: () => void = () => {};
    const together = new Promise<void>((resolve) => (allReached = resolve));
    const crashing = await startDynamoDb({
      dataDir,
      faultInjection: {
        crashAfterAppliedItems: 1,
        // They stop only once all three are half-way, so their records are on disk together.
        crash: async () => {
          reached += 1;
          if (reached === 3) allReached();
          await together;
          throw new Error("simulated crash");
        },
      },
    });
    await seed(crashing, { alice: 100, bob: 50, carol: 10, dave: 7, erin: 1, frank: 2 });
    const attempts = [
      crashing.documents.send(new TransactWriteCommand({ TransactItems: [update("alice", -30), update("bob", 30)] })),
      crashing.documents.send(new TransactWriteCommand({ TransactItems: [update("carol", -5), update("dave", 5)] })),
      crashing.documents.send(new TransactWriteCommand({ TransactItems: [update("erin", 1), update("frank", -1)] })),
    ];
    const outcomes = await Promise.allSettled(attempts);
    assert.deepEqual(outcomes.map((outcome) => outcome.status), ["rejected", "rejected", "rejected"]);
    assert.deepEqual(await itemOf(crashing, "alice"), { pk: "alice", balance: 70 });
    assert.deepEqual(await itemOf(crashing, "carol"), { pk: "carol", balance: 5 });
    const files = readdirSync(join(dataDir, "dynamodb")).filter((name) => name.startsWith(JOURNAL_FILE_NAME));
    assert.equal(files.length, 3);
    await crashing.stop();

    const restarted = await startDynamoDb({ dataDir });
    try {
      assert.deepEqual(await itemOf(restarted, "alice"), { pk: "alice", balance: 100 });
      assert.deepEqual(await itemOf(restarted, "bob"), { pk: "bob", balance: 50 });
      assert.deepEqual(await itemOf(restarted, "carol"), { pk: "carol", balance: 10 });
      assert.deepEqual(await itemOf(restarted, "dave"), { pk: "dave", balance: 7 });
      assert.deepEqual(await itemOf(restarted, "erin"), { pk: "erin", balance: 1 });
      assert.deepEqual(await itemOf(restarted, "frank"), { pk: "frank", balance: 2 });
      assert.equal(restarted.logLines.filter((line) => line.startsWith("dynamodb: rolled back")).length, 3);
      assert.deepEqual(readdirSync(join(dataDir, "dynamodb")).filter((name) => name.startsWith(JOURNAL_FILE_NAME)), [JOURNAL_FILE_NAME]);
      assert.equal(journalOf(dataDir), "");
    } finally {
      await restarted.stop();
    }
  });

  test("committed and cancelled transactions leave no journal record and are kept on restart", async () => {
    const dataDir = freshFolder();
    const first = await startDynamoDb({ dataDir });
    await seed(first, { alice: 100, bob: 50 });
    await first.documents.send(new TransactWriteCommand({ TransactItems: [update("alice", -30), update("bob", 30)] }));
    assert.equal(journalOf(dataDir), "");
    const cancelled = first.documents.send(
      new TransactWriteCommand({ TransactItems: [update("alice", -1), update("bob", 1, "attribute_not_exists(pk)")] }),
    );
    await assert.rejects(cancelled, (error: unknown) => error instanceof Error && error.name === "TransactionCanceledException");
    assert.equal(journalOf(dataDir), "");
    await first.stop();

    const second = await startDynamoDb({ dataDir });
    try {
      assert.deepEqual(await itemOf(second, "alice"), { pk: "alice", balance: 70 });
      assert.deepEqual(await itemOf(second, "bob"), { pk: "bob", balance: 80 });
      assert.deepEqual(second.logLines, []);
    } finally {
      await second.stop();
    }
  });

  test("a journal record cut short while being written is discarded and nothing is touched", async () => {
    const dataDir = freshFolder();
    const first = await startDynamoDb({ dataDir });
    await seed(first, { alice: 100 });
    await first.stop();
    writeFileSync(join(dataDir, "dynamodb", JOURNAL_FILE_NAME), '{"version":1,"beforeImages":[{"tableName":"acc');

    const second = await startDynamoDb({ dataDir });
    try {
      assert.deepEqual(await itemOf(second, "alice"), { pk: "alice", balance: 100 });
      assert.equal(journalOf(dataDir), "");
      assert.equal(second.logLines.length, 1);
      assert.match(second.logLines[0] ?? "", /^dynamodb: discarded a transaction journal cut short/);
    } finally {
      await second.stop();
    }
  });

  test("a process killed with SIGKILL mid-transaction is rolled back when started again", async () => {
    const dataDir = freshFolder();
    mkdirSync(dataDir, { recursive: true });
    const child = spawn(process.execPath, ["--import", "tsx", join(here, "crash-child.ts"), dataDir], {
      cwd: projectRoot,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once("exit", (code, signal) => resolve(signal ?? code)));
    await new Promise<void>((resolve, reject) => {
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("crashed\n")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`the child exited (${code}) before reaching the crash point`)));
    });
    child.kill("SIGKILL");
    assert.equal(await exited, "SIGKILL");
    assert.ok(statSync(join(dataDir, "dynamodb", JOURNAL_FILE_NAME)).size > 0, "the killed transaction left its record");

    const restarted = await startDynamoDb({ dataDir });
    try {
      assert.deepEqual(await itemOf(restarted, "alice"), { pk: "alice", balance: 100 });
      assert.deepEqual(await itemOf(restarted, "bob"), { pk: "bob", balance: 50 });
      assert.equal(await itemOf(restarted, "carol"), undefined);
      assert.equal(restarted.logLines.filter((line) => line.startsWith("dynamodb: rolled back")).length, 1);
    } finally {
      await restarted.stop();
    }
  });
});
