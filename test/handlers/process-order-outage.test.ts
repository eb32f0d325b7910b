import { DeleteMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { multiplyToCents, priceFromDecimal } from "../../domain/money.ts";
import { seedDemoUsers } from "../../scripts/seed-users.ts";
import { apiEvent, lambdaContext, sqsEvent, sqsRecord } from "./support/events.ts";
import { orderOf, placeOrder, profileOf, type ApiHandler, type SqsHandler } from "./support/flow.ts";
import { captureLogs, type CapturedLogs } from "./support/logs.ts";
import { startTestCloud, type TestCloud } from "./support/test-cloud.ts";

/** The simulated market fails every call here, as Yahoo does when it is down. */
describe("process-order while the price source is down", () => {
  let cloud: TestCloud;
  let validate: ApiHandler;
  let processOrder: SqsHandler;
  let logs: CapturedLogs;

  before(async () => {
    cloud = await startTestCloud({ PRICE_SOURCE: "simulated", SIMULATED_MARKET_FAILURE_RATE: "1", QUOTE_MAX_AGE_SECONDS: "300" });
    await seedDemoUsers({ usersTable: cloud.tables.users, client: cloud.db, cipher: cloud.cipher });
    logs = captureLogs();
    validate = ((await import("../../functions/validate-order.ts")) as unknown as { handler: ApiHandler }).handler;
    processOrder = ((await import("../../functions/process-order.ts")) as unknown as { handler: SqsHandler }).handler;
  });
  after(async () => {
    logs?.stop();
    await cloud?.stop();
  });

  const cacheQuote = (ticker: string, price: string, asOf: Date) =>
    cloud.db.send(
      new PutCommand({
        TableName: cloud.tables.quotes,
        Item: { pk: `QUOTE#${ticker}`, sk: "LATEST", ticker, price: priceFromDecimal(price), currency: "BRL", asOf: asOf.toISOString(), source: "simulated" },
      }),
    );

  test("with no cached quote the record is reported failed, so SQS retries it; nothing moves", async () => {
    const cashBefore = (await profileOf(cloud, "1")).cash.BRL;
    const { orderId, record } = await placeOrder(cloud, validate, { userId: "1", ticker: "PETR4", quantity: 10 });
    const result = await processOrder(sqsEvent(record), lambdaContext());
    assert.deepEqual(result.batchItemFailures, [{ itemIdentifier: record.messageId }]);
    assert.equal((await orderOf(cloud, orderId)).status, "ACCEPTED", "still waiting for a price");
    assert.equal((await profileOf(cloud, "1")).cash.BRL, cashBefore);
    assert.equal(cloud.invocations.length, 0);
  });

  test("a failed order's next delivery is pushed back further with each receive", async () => {
    // Received from the real queue and not deleted, so its receipt handle is live.
    const accepted = await validate(
      apiEvent({ method: "POST", resource: "/orders", body: JSON.stringify({ userId: "2", ticker: "PETR4", quantity: 1 }), caller: "2" }),
      lambdaContext(),
    );
    assert.equal(accepted.statusCode, 202);
    const { Messages = [] } = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: cloud.queues.orders, MaxNumberOfMessages: 1 }));
    const message = Messages[0];
    assert.ok(message?.Body && message.ReceiptHandle);
    const live = { ...sqsRecord(message.Body, { groupId: "2" }), receiptHandle: message.ReceiptHandle };

    logs.lines.length = 0;
    for (const receive of ["1", "2", "3"]) {
      const record = { ...live, attributes: { ...live.attributes, ApproximateReceiveCount: receive } };
      assert.equal((await processOrder(sqsEvent(record), lambdaContext())).batchItemFailures.length, 1);
    }
    const delays = logs.lines.filter((line) => line.message === "order processing failed; SQS will deliver it again").map((line) => line.retryInSeconds);
    assert.deepEqual(delays, [30, 60, 120]);
    assert.ok(!logs.lines.some((line) => String(line.message).startsWith("could not delay")), "the queue took every delay");
    // Take it off the queue, so it cannot hold back user 2's group in the tests below.
    await cloud.sqs.send(new DeleteMessageCommand({ QueueUrl: cloud.queues.orders, ReceiptHandle: message.ReceiptHandle }));
  });

  test("a cached quote older than QUOTE_MAX_AGE_SECONDS is not traded on", async () => {
    await cacheQuote("ITUB4", "34.80", new Date(Date.now() - 3_600_000));
    const { record } = await placeOrder(cloud, validate, { userId: "2", ticker: "ITUB4", quantity: 1 });
    assert.equal((await processOrder(sqsEvent(record), lambdaContext())).batchItemFailures.length, 1);
  });

  test("a recent cached quote fills the order, marked source cache", async () => {
    await cacheQuote("VALE3", "61.23", new Date(Date.now() - 10_000));
    const { orderId, record } = await placeOrder(cloud, validate, { userId: "3", ticker: "VALE3", quantity: 7 });
    const result = await processOrder(sqsEvent(record), lambdaContext());
    assert.deepEqual(result.batchItemFailures, []);
    const order = await orderOf(cloud, orderId);
    assert.equal(order.status, "FILLED");
    assert.equal(order.fill?.quoteSource, "cache");
    assert.equal(order.fill?.amount, multiplyToCents(7, priceFromDecimal("61.23")));
    assert.equal(order.fill?.amount, 42_861);

    // The read API says how stale the price was: the quote was 10 s old when it was used.
    const queryApi = ((await import("../../functions/query-api.ts")) as unknown as { handler: ApiHandler }).handler;
    const view = await queryApi(apiEvent({ method: "GET", resource: "/orders/{orderId}", pathParameters: { orderId }, caller: "3" }), lambdaContext());
    const shown = JSON.parse(view.body) as { quoteSource: string; quoteAgeSeconds: number };
    assert.equal(shown.quoteSource, "cache");
    assert.ok(shown.quoteAgeSeconds >= 10 && shown.quoteAgeSeconds < 60, `quote age ${shown.quoteAgeSeconds} s`);
  });

  test("the failed order of one user does not hold back another user's order in the batch", async () => {
    await cacheQuote("BBAS3", "27.45", new Date());
    const stuck = await placeOrder(cloud, validate, { userId: "1", ticker: "WEGE3", quantity: 1 });
    const fine = await placeOrder(cloud, validate, { userId: "2", ticker: "BBAS3", quantity: 1 });
    const result = await processOrder(sqsEvent(stuck.record, fine.record), lambdaContext());
    assert.deepEqual(result.batchItemFailures, [{ itemIdentifier: stuck.record.messageId }]);
    assert.equal((await orderOf(cloud, fine.orderId)).status, "FILLED");
  });
});
