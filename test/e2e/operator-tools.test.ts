import { GetQueueAttributesCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import { centsFromDecimal, formatCents } from "../../domain/money.ts";
import { discoverPairs, pairsFromOutputs, selectPair, type DeadLetterQueuePair } from "../../ops/dead-letter-queues.ts";
import { listDeadLetterQueues } from "../../ops/dlq-list.ts";
import { redrive } from "../../ops/dlq-redrive.ts";
import { documentClientFromEnv, sqsClientFromEnv } from "../../ops/environment.ts";
import { auditLedger } from "../../ops/ledger-audit.ts";
import { loadLedgerSnapshot, type LedgerTables } from "../../ops/ledger-source.ts";
import type { ApiClient } from "./support/api-client.ts";
import { startTarget, targetName, waitFor, type E2eTarget } from "./support/target.ts";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
const run = promisify(execFile);

interface OrderView {
  orderId: string;
  status: string;
  reason?: string;
}

/** The DLQ and audit tools against a running system: real orders, real queues, real tables. */
describe(`operator tools on ${targetName}`, () => {
  let target: E2eTarget;
  let api: ApiClient;
  let sqs: SQSClient;
  let dynamo: DynamoDBDocumentClient;
  let tables: LedgerTables;
  let pairs: DeadLetterQueuePair[];
  let workDir: string;
  let outputsFile: string;
  const placed: OrderView[] = [];

  /** Runs a CLI with the environment pointing at the target; resolves with its exit code and output. */
  async function cli(script: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run("npx", ["tsx", script, ...args], { cwd: projectRoot, env: { ...process.env, ...target.awsEnv } });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: Number(failed.code ?? -1), stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
    }
  }

  async function placeAndWait(order: { userId: string; ticker: string; quantity: number; side: "BUY" | "SELL" }): Promise<OrderView> {
    const response = await api.post<{ orderId: string }>(order.userId, "orders", order);
    assert.equal(response.status, 202, `order ${JSON.stringify(order)} was accepted`);
    const { orderId } = response.body;
    const final = await waitFor(`order ${orderId} to be final`, async () => {
      const { body: view } = await api.get<OrderView>(order.userId, `orders/${orderId}`);
      return view.status === "ACCEPTED" ? undefined : view;
    });
    placed.push(final);
    return final;
  }

  const audit = async (userId: string) => auditLedger(await loadLedgerSnapshot(dynamo, tables, userId));

  before(async () => {
    target = await startTarget();
    const outputs = target.outputs.Brokerage ?? {};
    // Many polls in a row: the load-test key, so the clients' rate limit does not interfere.
    api = target.client("loadTest");
    sqs = sqsClientFromEnv(target.awsEnv);
    dynamo = documentClientFromEnv(target.awsEnv);
    tables = { usersTable: String(outputs.UsersTableName), transactionsTable: String(outputs.TransactionsTableName) };
    pairs = pairsFromOutputs(outputs);
    workDir = await mkdtemp(join(tmpdir(), "operator-tools-"));
    outputsFile = join(workDir, "cdk-outputs.json");
    await writeFile(outputsFile, JSON.stringify({ Brokerage: outputs }));
    // Seeds older than initialCash did not write it; before any trade it equals the cash.
    for (const userId of ["1", "2", "3"]) {
      await dynamo.send(
        new UpdateCommand({ TableName: tables.usersTable, Key: { pk: `USER#${userId}`, sk: "PROFILE" }, UpdateExpression: "SET initialCash = if_not_exists(initialCash, cash)" }),
      );
    }
  });
  after(async () => {
    sqs?.destroy();
    dynamo?.destroy();
    if (workDir) await rm(workDir, { recursive: true, force: true });
    await target?.stop();
  });

  test("after buys, sells and a rejected order, every user's ledger replays exactly", async () => {
    await placeAndWait({ userId: "1", ticker: "PETR4", quantity: 10, side: "BUY" });
    await placeAndWait({ userId: "1", ticker: "PETR4", quantity: 3, side: "SELL" });
    await placeAndWait({ userId: "2", ticker: "AAPL", quantity: 7, side: "BUY" });
    await placeAndWait({ userId: "2", ticker: "VALE3", quantity: 4, side: "BUY" });
    await placeAndWait({ userId: "2", ticker: "AAPL", quantity: 7, side: "SELL" });
    const rejected = await placeAndWait({ userId: "3", ticker: "PETR4", quantity: 5, side: "SELL" });
    await placeAndWait({ userId: "3", ticker: "BOVA11", quantity: 2, side: "BUY" });
    assert.equal(rejected.status, "REJECTED");
    assert.equal(rejected.reason, "INSUFFICIENT_SHARES");
    assert.equal(placed.filter((o) => o.status === "FILLED").length, 6, `fills: ${JSON.stringify(placed)}`);

    const tradesPerUser: Record<string, number> = { "1": 2, "2": 3, "3": 1 };
    for (const [userId, trades] of Object.entries(tradesPerUser)) {
      const result = await audit(userId);
      assert.deepEqual(result.checks.filter((c) => !c.ok), [], `user ${userId} has no difference`);
      assert.equal(result.tradesReplayed, trades, `user ${userId}'s trades were all replayed`);
    }
  });

  test("a cash balance changed behind the ledger's back is the one difference the audit reports", async () => {
    const before = await audit("2");
    const cashBrl = before.checks.find((c) => c.name === "cash BRL");
    assert.ok(cashBrl?.ok);
    await dynamo.send(
      new UpdateCommand({
        TableName: tables.usersTable,
        Key: { pk: "USER#2", sk: "PROFILE" },
        UpdateExpression: "SET cash.BRL = cash.BRL + :tamper",
        ExpressionAttributeValues: { ":tamper": 1234 },
      }),
    );
    const after = await audit("2");
    const actual = `${formatCents(centsFromDecimal(String(cashBrl.expected.split(" ")[0])) + 1234)} BRL`;
    assert.deepEqual(after.checks.filter((c) => !c.ok), [{ name: "cash BRL", expected: cashBrl.expected, actual, ok: false }]);

    const cliRun = await cli("scripts/audit.ts", "--all", "--outputs", outputsFile);
    assert.equal(cliRun.code, 1, `the audit CLI fails on a difference; stderr: ${cliRun.stderr}`);
    assert.match(cliRun.stdout, /^user 1: 2 trade\(s\) replayed, OK$/m);
    assert.match(cliRun.stdout, /^user 2: 3 trade\(s\) replayed, 1 DIFFERENCE\(S\)$/m);
    assert.match(cliRun.stdout, /^user 3: 1 trade\(s\) replayed, OK$/m);
    assert.match(cliRun.stdout, new RegExp(`DIFF\\s+cash BRL\\s+${cashBrl.expected}\\s+${actual}`));
  });

  test("dlq list shows a dead-lettered push message with its depth, summary and reason, and does not consume it", async (t) => {
    const notification = { orderId: "dlq-demo-order", userId: "1", correlationId: "dlq-demo", ticker: "PETR4", side: "BUY", quantity: 10, currency: "BRL", status: "FILLED", name: "Ana", portfolioValue: { BRL: "1.00", USD: "0.00" }, valuedAt: new Date().toISOString() };
    const push = selectPair(pairs, "push");
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl: push.deadLetterQueueUrl, MessageBody: JSON.stringify(notification) }));

    for (const peek of [1, 2]) {
      const view = (await listDeadLetterQueues(sqs, pairs)).find((v) => v.name === "push");
      assert.equal(view?.depth, 1, `peek ${peek}: the message is still there`);
      assert.deepEqual(view.messages.map((m) => [m.messageId, m.summary.orderId, m.reason, m.receiveCount]), [
        [MessageId, "dlq-demo-order", `unknown (see the function's logs for ${MessageId})`, peek],
      ]);
    }

    const listed = await cli("scripts/dlq.ts", "list", "--outputs", outputsFile);
    assert.equal(listed.code, 0, listed.stderr);
    for (const line of listed.stdout.trimEnd().split("\n")) t.diagnostic(line);
    assert.match(listed.stdout, /^push\s+depth 1\b/m);
    assert.ok(listed.stdout.includes(String(MessageId)) && listed.stdout.includes("orderId=dlq-demo-order"), listed.stdout);
    assert.match(listed.stdout, /receive count went up by 1/);
  });

  test("without stack outputs, the DLQs and their source queues are discovered from the queues' redrive policies", async () => {
    const discovered = await discoverPairs(sqs);
    const byName = (list: readonly DeadLetterQueuePair[]) => list.filter((p) => ["orders", "push", "email", "audit", "reports"].includes(p.name));
    assert.deepEqual(byName(discovered), pairs);
  });

  test("dlq list explains a dead-lettered order by its record in the transactions table", async () => {
    const rejected = placed.find((o) => o.status === "REJECTED");
    assert.ok(rejected);
    const orders = selectPair(pairs, "orders");
    const body = JSON.stringify({ orderId: rejected.orderId, userId: "3", correlationId: "dlq-demo" });
    await sqs.send(new SendMessageCommand({ QueueUrl: orders.deadLetterQueueUrl, MessageBody: body, MessageGroupId: "3", MessageDeduplicationId: "dlq-demo-1" }));
    const views = await listDeadLetterQueues(sqs, [orders], { orders: { client: dynamo, transactionsTable: tables.transactionsTable } });
    const [message] = views[0]?.messages ?? [];
    assert.equal(message?.reason, "order REJECTED; reason INSUFFICIENT_SHARES");
    assert.deepEqual(message.summary, { orderId: rejected.orderId, userId: "3", ticker: "PETR4", side: "SELL", quantity: 5, status: "REJECTED" });
    assert.equal(message.messageGroupId, "3");
  });

  test("dlq redrive moves messages back to their source queue, where they are processed", async () => {
    const dryRun = await redrive(sqs, selectPair(pairs, "push"), { dryRun: true });
    assert.equal(dryRun.moved, 1);

    const pushed = await redrive(sqs, selectPair(pairs, "push"));
    assert.deepEqual([pushed.moved, pushed.failed, pushed.sentNotDeleted], [1, 0, 0]);
    const orders = await cli("scripts/dlq.ts", "redrive", "orders", "--outputs", outputsFile);
    assert.equal(orders.code, 0, orders.stderr);
    assert.match(orders.stdout, /moved 1 message\(s\) from the orders DLQ/);

    for (const pair of [selectPair(pairs, "push"), selectPair(pairs, "orders")]) {
      const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: pair.deadLetterQueueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
      assert.equal(Attributes.ApproximateNumberOfMessages, "0", `the ${pair.name} DLQ is empty`);
    }
    if (target.name === "localcloud") {
      await waitFor("send-push to deliver the redriven notification", async () =>
        target.logs.some((line) => line.includes("push delivered") && line.includes("dlq-demo-order")) ? true : undefined,
      );
    }
    const rejected = placed.find((o) => o.status === "REJECTED");
    const { body: again } = await api.get<OrderView>("3", `orders/${String(rejected?.orderId)}`);
    assert.equal(again.status, "REJECTED", "a redriven order message for a final order changes nothing");
  });

  test("an unknown queue name is a clear error with a non-zero exit and no stack trace", async () => {
    const result = await cli("scripts/dlq.ts", "redrive", "sms", "--outputs", outputsFile);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown dead-letter queue "sms"; known: audit, email, orders, push, reports/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });
});
