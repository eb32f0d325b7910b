/**
 * The business metrics as CloudWatch reads them: the embedded-metric-format lines the
 * handlers write to stdout, one blob per invocation plus one per metric with its own
 * dimensions. Prepare with the real emulators, act through the handlers, assess the lines.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { seedDemoUsers } from "../../scripts/seed-users.ts";
import { apiEvent, lambdaContext, sqsEvent } from "./support/events.ts";
import { orderOf, placeOrder, type ApiHandler, type SqsHandler } from "./support/flow.ts";
import { captureLogs, type CapturedLogs } from "./support/logs.ts";
import { startTestCloud, type TestCloud } from "./support/test-cloud.ts";

interface EmfLine {
  _aws: { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

const isEmf = (line: Record<string, unknown>): line is EmfLine => typeof line._aws === "object" && line._aws !== null;

/** The EMF blobs among the captured lines that declare `metricName`. */
function blobsWith(lines: readonly Record<string, unknown>[], metricName: string): EmfLine[] {
  return lines.filter(isEmf).filter((line) => line._aws.CloudWatchMetrics.some((d) => d.Metrics.some((m) => m.Name === metricName)));
}

/** The one declaration of `metricName` in the blob: its namespace, dimension names and unit. */
function declaration(line: EmfLine, metricName: string): { namespace: string; dimensions: string[]; unit: string | undefined } {
  const [directive] = line._aws.CloudWatchMetrics;
  assert.ok(directive);
  return { namespace: directive.Namespace, dimensions: [...(directive.Dimensions[0] ?? [])].sort(), unit: directive.Metrics.find((m) => m.Name === metricName)?.Unit };
}

describe("business metrics in embedded metric format", () => {
  let cloud: TestCloud;
  let validate: ApiHandler;
  let processOrder: SqsHandler;
  let logs: CapturedLogs;

  before(async () => {
    cloud = await startTestCloud({ PRICE_SOURCE: "simulated", SIMULATED_MARKET_SEED: "metrics-tests", SIMULATED_MARKET_FAILURE_RATE: "0" });
    await seedDemoUsers({ usersTable: cloud.tables.users, client: cloud.db, cipher: cloud.cipher });
    logs = captureLogs();
    validate = ((await import("../../functions/validate-order.ts")) as unknown as { handler: ApiHandler }).handler;
    processOrder = ((await import("../../functions/process-order.ts")) as unknown as { handler: SqsHandler }).handler;
  });
  beforeEach(() => {
    logs.lines.length = 0;
  });
  after(async () => {
    logs?.stop();
    await cloud?.stop();
  });

  test("an accepted order is counted once by validate-order, with the service dimension", async () => {
    await placeOrder(cloud, validate, { userId: "1", ticker: "PETR4", quantity: 1 });
    const [blob, ...more] = blobsWith(logs.lines, "OrdersAccepted");
    assert.ok(blob, "an EMF line with OrdersAccepted");
    assert.equal(more.length, 0, "flushed once per invocation");
    assert.deepEqual(declaration(blob, "OrdersAccepted"), { namespace: "Brokerage", dimensions: ["service"], unit: "Count" });
    assert.equal(blob.service, "brokerage-test");
    assert.equal(blob.OrdersAccepted, 1);
  });

  test("a request turned away with a 400 counts nothing and warns about nothing", async () => {
    const response = await validate(apiEvent({ method: "POST", resource: "/orders", body: JSON.stringify({ userId: "1", ticker: "PETR4", quantity: -1 }), caller: "1" }), lambdaContext());
    assert.equal(response.statusCode, 400);
    assert.deepEqual(logs.lines.filter(isEmf), []);
    assert.deepEqual(logs.lines.filter((line) => line.level === "WARN"), []);
  });

  test("a filled order: filled count, acceptance-to-fill latency, and its notional by ticker and currency", async () => {
    const { orderId, record } = await placeOrder(cloud, validate, { userId: "1", ticker: "PETR4", quantity: 10 });
    logs.lines.length = 0;
    assert.deepEqual((await processOrder(sqsEvent(record), lambdaContext())).batchItemFailures, []);
    const order = await orderOf(cloud, orderId);
    assert.equal(order.status, "FILLED");

    const [filled] = blobsWith(logs.lines, "OrdersFilled");
    assert.ok(filled, "an EMF line with OrdersFilled");
    assert.deepEqual(declaration(filled, "OrdersFilled"), { namespace: "Brokerage", dimensions: ["service"], unit: "Count" });
    assert.equal(filled.OrdersFilled, 1);
    assert.equal(declaration(filled, "AcceptanceToFillLatency").unit, "Milliseconds");
    const latency = filled.AcceptanceToFillLatency;
    assert.ok(typeof latency === "number" && latency >= 0, `a latency in ms, got ${String(latency)}`);

    const [notional, ...more] = blobsWith(logs.lines, "FilledNotional");
    assert.ok(notional, "an EMF line with FilledNotional");
    assert.equal(more.length, 0);
    assert.deepEqual(declaration(notional, "FilledNotional").dimensions, ["currency", "service", "ticker"]);
    assert.equal(notional.ticker, "PETR4");
    assert.equal(notional.currency, "BRL");
    assert.equal(notional.FilledNotional, (order.fill?.amount ?? Number.NaN) / 100, "the amount in reais");
    assert.equal(blobsWith(logs.lines, "OrdersRejected").length, 0);
  });

  test("a rejected order is counted with its reason, and nothing is counted as filled", async () => {
    const { orderId, record } = await placeOrder(cloud, validate, { userId: "1", ticker: "AAPL", quantity: 1_000_000 });
    logs.lines.length = 0;
    await processOrder(sqsEvent(record), lambdaContext());
    assert.equal((await orderOf(cloud, orderId)).reason, "INSUFFICIENT_FUNDS");

    const [rejected, ...more] = blobsWith(logs.lines, "OrdersRejected");
    assert.ok(rejected, "an EMF line with OrdersRejected");
    assert.equal(more.length, 0);
    assert.deepEqual(declaration(rejected, "OrdersRejected"), { namespace: "Brokerage", dimensions: ["reason", "service"], unit: "Count" });
    assert.equal(rejected.reason, "INSUFFICIENT_FUNDS");
    assert.equal(rejected.OrdersRejected, 1);
    assert.equal(blobsWith(logs.lines, "OrdersFilled").length, 0);
    assert.equal(blobsWith(logs.lines, "FilledNotional").length, 0);
  });
});
