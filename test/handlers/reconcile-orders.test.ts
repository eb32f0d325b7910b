import { DeleteMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { newOrder } from "../../domain/order.ts";
import { DynamoOrderStore } from "../../adapters/dynamo-order-store.ts";
import { seedDemoUsers } from "../../scripts/seed-users.ts";
import { lambdaContext, sqsEvent, sqsRecord } from "./support/events.ts";
import { invocationsFor as invocationsOf, orderOf, placeOrder, profileOf, type ApiHandler, type SqsHandler } from "./support/flow.ts";
import { captureLogs, type CapturedLogs } from "./support/logs.ts";
import { startTestCloud, type TestCloud } from "./support/test-cloud.ts";

type AsyncHandler = (event: unknown, context: unknown) => Promise<unknown>;
const load = async <T>(name: string) => ((await import(`../../functions/${name}.ts`)) as { handler: T }).handler;
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** Orders left behind by a crash between two steps are found and moved on. */
describe("reconcile-orders", () => {
  let cloud: TestCloud;
  let logs: CapturedLogs;
  let store: DynamoOrderStore;
  let validate: ApiHandler, processOrder: SqsHandler, consolidate: AsyncHandler, reconcile: AsyncHandler;

  before(async () => {
    cloud = await startTestCloud({ SIMULATED_MARKET_SEED: "reconcile", RECONCILE_GRACE_SECONDS: "120" });
    await seedDemoUsers({ usersTable: cloud.tables.users, client: cloud.db, cipher: cloud.cipher });
    store = new DynamoOrderStore(cloud.tables.transactions, { client: cloud.db, usersTableName: cloud.tables.users });
    logs = captureLogs();
    [validate, processOrder, consolidate, reconcile] = [
      await load<ApiHandler>("validate-order"),
      await load<SqsHandler>("process-order"),
      await load<AsyncHandler>("consolidate-portfolio"),
      await load<AsyncHandler>("reconcile-orders"),
    ];
  });
  after(async () => {
    logs?.stop();
    await cloud?.stop();
  });

  /** An order recorded ACCEPTED by validate-order, which then died before queueing it. */
  const strandedOrder = async (userId: string, createdAt: string) => {
    const order = newOrder({ userId, ticker: "PETR4", quantity: 1, side: "BUY" }, "BRL", { orderId: randomUUID(), correlationId: randomUUID(), now: createdAt });
    assert.equal((await store.accept({ order })).kind, "CREATED");
    return order;
  };
  /** Lets time pass for an order: its timestamps (and its place in the attention index) move back. */
  const age = async (orderId: string, createdAt: string, updatedAt: string) => {
    await cloud.db.send(
      new UpdateCommand({
        TableName: cloud.tables.transactions,
        Key: { pk: `ORDER#${orderId}`, sk: "ORDER" },
        UpdateExpression: "SET createdAt = :c, updatedAt = :u, gsi2sk = :s",
        ExpressionAttributeValues: { ":c": createdAt, ":u": updatedAt, ":s": `${createdAt}#${orderId}` },
      }),
    );
  };
  const listed = async () => {
    const { Items = [] } = await cloud.db.send(
      new QueryCommand({ TableName: cloud.tables.transactions, IndexName: "gsi2", KeyConditionExpression: "gsi2pk = :open", ExpressionAttributeValues: { ":open": "OPEN" } }),
    );
    return Items.map((item) => String(item.orderId));
  };
  const receiveAll = async (queueUrl: string) => {
    const { Messages = [] } = await cloud.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["MessageGroupId", "MessageDeduplicationId"] }),
    );
    return Messages;
  };
  const invocationsFor = (orderId: string) => invocationsOf(cloud, orderId);

  test("re-queues an ACCEPTED order older than the grace period and leaves a fresh one alone", async () => {
    const stale = await strandedOrder("1", minutesAgo(5));
    const fresh = await strandedOrder("2", minutesAgo(0));
    assert.deepEqual((await listed()).sort(), [stale.orderId, fresh.orderId].sort(), "both are listed from acceptance");

    await reconcile({ "detail-type": "Scheduled Event", source: "aws.events" }, lambdaContext());

    const messages = await receiveAll(cloud.queues.orders);
    assert.equal(messages.length, 1, "only the stale order is queued");
    const [message] = messages;
    assert.deepEqual(JSON.parse(message?.Body ?? "{}"), { orderId: stale.orderId, userId: "1", correlationId: stale.correlationId });
    assert.equal(message?.Attributes?.MessageGroupId, "1");
    assert.equal(message?.Attributes?.MessageDeduplicationId, stale.orderId);
    const logged = logs.lines.find((l) => l.message === "order re-queued" && l.orderId === stale.orderId);
    assert.equal(logged?.correlationId, stale.correlationId);
    assert.equal((await orderOf(cloud, fresh.orderId)).status, "ACCEPTED");

    // The re-queued message is an ordinary order message: process-order fills it.
    await processOrder(sqsEvent(sqsRecord(message?.Body ?? "", { groupId: "1" })), lambdaContext());
    assert.equal((await orderOf(cloud, stale.orderId)).status, "FILLED");
  });

  test("an order re-queued in vain is left to the DLQ after three tries, not re-queued forever", async () => {
    const stuck = await strandedOrder("3", minutesAgo(30));
    for (let run = 0; run < 4; run++) {
      // Each run finds it older than the grace period again, as if minutes had passed.
      await cloud.db.send(
        new UpdateCommand({
          TableName: cloud.tables.transactions,
          Key: { pk: `ORDER#${stuck.orderId}`, sk: "ORDER" },
          UpdateExpression: "REMOVE requeuedAt",
        }),
      );
      await reconcile({}, lambdaContext());
    }
    const item = (await orderOf(cloud, stuck.orderId)) as { requeueCount?: number; gsi2pk?: string };
    assert.equal(item.requeueCount, 3);
    assert.equal(item.gsi2pk, "STUCK");
    assert.ok(!(await listed()).includes(stuck.orderId));
    const queued = await receiveAll(cloud.queues.orders);
    assert.equal(queued.length, 1, "the re-queues of one order de-duplicate to one message");
    await cloud.sqs.send(new DeleteMessageCommand({ QueueUrl: cloud.queues.orders, ReceiptHandle: queued[0]?.ReceiptHandle }));
  });

  test("a fill whose consolidation was lost, redelivered, is not filled again, and is consolidated by the reconciler", async () => {
    const { orderId, record } = await placeOrder(cloud, validate, { userId: "2", ticker: "AAPL", quantity: 2 });
    await processOrder(sqsEvent(record), lambdaContext());
    const [lost] = invocationsFor(orderId);
    assert.ok(lost, "process-order started consolidation (and the invoke is then lost)");
    const cashAfterFill = (await profileOf(cloud, "2")).cash.USD;

    const redelivered = await processOrder(sqsEvent(record), lambdaContext());
    assert.deepEqual(redelivered.batchItemFailures, []);
    assert.equal((await profileOf(cloud, "2")).cash.USD, cashAfterFill, "no second fill");
    assert.equal(invocationsFor(orderId).length, 1, "a redelivery of a final order starts nothing");

    await reconcile({}, lambdaContext());
    assert.equal(invocationsFor(orderId).length, 1, "within the grace period consolidation may still be running");

    const order = await orderOf(cloud, orderId);
    await age(orderId, minutesAgo(10), minutesAgo(9));
    assert.equal(order.status, "FILLED");
    await reconcile({}, lambdaContext());
    const again = invocationsFor(orderId);
    assert.equal(again.length, 2);
    assert.equal(again[1]?.functionName, "consolidate-portfolio");
    const outcomesOf = (payload: unknown) => (payload as { outcomes: unknown[] }).outcomes;
    // The position after the fill is known only to the filler; consolidation reads it again.
    const withoutPosition = (outcomes: unknown[]) => outcomes.map((o) => ({ ...(o as object), positionAfter: undefined }));
    assert.deepEqual(withoutPosition(outcomesOf(again[1]?.payload)), withoutPosition(outcomesOf(lost.payload)), "the same outcomes process-order sends (the account is read again)");

    await consolidate(again[1]?.payload, lambdaContext());
    const notifiedAt = ((await orderOf(cloud, orderId)) as { notifiedAt?: string }).notifiedAt;
    assert.ok(notifiedAt, "consolidation marks the order notified");
    assert.ok(!(await listed()).includes(orderId), "and takes it off the attention index");
    const pushed = (await receiveAll(cloud.queues.push)).filter((m) => (JSON.parse(m.Body ?? "{}") as { orderId: string }).orderId === orderId);
    assert.equal(pushed.length, 1);

    await reconcile({}, lambdaContext());
    assert.equal(invocationsFor(orderId).length, 2, "a notified order is not consolidated again");
    await consolidate(lost.payload, lambdaContext());
    assert.equal((await receiveAll(cloud.queues.email)).filter((m) => (JSON.parse(m.Body ?? "{}") as { orderId: string }).orderId === orderId).length, 1, "a late duplicate invoke queues no second notification");
    assert.equal(((await orderOf(cloud, orderId)) as { notifiedAt?: string }).notifiedAt, notifiedAt);
  });
});
