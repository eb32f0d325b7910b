import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SetQueueAttributesCommand, SQSClient, type Message } from "@aws-sdk/client-sqs";
import { QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { documentClientFromEnv } from "../../ops/environment.ts";
import { DEBIAN_AWS_CLI } from "../../scripts/ensure-aws-cli.ts";
import type { ApiClient } from "./support/api-client.ts";
import { startTarget, targetName, waitFor, type E2eTarget } from "./support/target.ts";

interface AuditedEvent {
  type: string;
  status: string;
  amount?: string;
  positionAfter?: number;
}
interface Statement {
  trades: number;
  entries: { ticker: string; currency: string; bought: { quantity: number; amount: string }; fees: string; closingPosition: number }[];
}

// The demo key's plan allows about 100 requests a minute: poll below that rate.
const POLL_MS = 700;

/** One filled order, end to end through the OrderEvents topic and each of its subscribers. */
describe(`order events on ${targetName}`, () => {
  let target: E2eTarget;
  let api: ApiClient;
  let dynamo: DynamoDBDocumentClient;
  let sqs: SQSClient;

  before(async () => {
    target = await startTarget();
    api = target.client("demo");
    dynamo = documentClientFromEnv(target.awsEnv);
    sqs = new SQSClient({ endpoint: target.endpoint, region: target.awsEnv.AWS_REGION ?? "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  });
  after(async () => {
    sqs?.destroy();
    await target?.stop();
  });

  /** Every message on the queue now, taken off it. */
  const drain = async (queueUrl: string): Promise<Message[]> => {
    const all: Message[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      if (Messages.length === 0) return all;
      all.push(...Messages);
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle })) }));
    }
  };
  /** `aws cloudwatch describe-alarms` with Debian's CLI, as an operator reads the alarms. */
  const describeAlarms = async (prefix: string): Promise<{ AlarmName: string; StateValue: string; StateReason: string }[]> => {
    const { stdout } = await promisify(execFile)(DEBIAN_AWS_CLI, ["--endpoint-url", target.endpoint, "cloudwatch", "describe-alarms", "--alarm-name-prefix", prefix, "--output", "json"], {
      env: { ...process.env, ...target.awsEnv, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: target.awsEnv.AWS_REGION ?? "us-east-1" },
    });
    return (JSON.parse(stdout) as { MetricAlarms: { AlarmName: string; StateValue: string; StateReason: string }[] }).MetricAlarms;
  };

  const outputs = () => target.outputs.Brokerage ?? {};
  const itemsIn = async (tableName: string, pk: string) =>
    (await dynamo.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": pk }, ConsistentRead: true }))).Items ?? [];

  test("one filled order: one push, one e-mail, one audit item per state, one statement line", async () => {
    const correlationId = `order-events-${Date.now()}`;
    const placed = await api.post<{ orderId: string }>("1", "orders", { ticker: "PETR4", quantity: 3, side: "BUY" }, { "x-correlation-id": correlationId });
    assert.equal(placed.status, 202);
    const { orderId } = placed.body;

    const events = await waitFor("the order's accepted and filled events in its audit trail", async () => {
      const { body } = await api.get<{ items: AuditedEvent[] }>("1", `orders/${orderId}/events`);
      return body.items?.length === 2 ? body.items : undefined;
    }, 30_000, POLL_MS);
    assert.deepEqual(events.map((e) => [e.type, e.status]), [["accepted", "ACCEPTED"], ["filled", "FILLED"]]);
    const filled = events[1];
    assert.ok(filled?.amount && filled.positionAfter !== undefined);

    const day = new Date().toISOString().slice(0, 10);
    const lines = await waitFor("the order's statement line", async () => {
      const found = (await itemsIn(String(outputs().StatementsTableName), `STATEMENT#1#${day}`)).filter((line) => line.orderId === orderId);
      return found.length > 0 ? found : undefined;
    }, 30_000, POLL_MS);
    assert.equal(lines.length, 1, "one statement line");
    const statement = await api.get<Statement>("1", `users/1/statements/${day}`);
    assert.equal(statement.status, 200);
    const petr4 = statement.body.entries.find((e) => e.ticker === "PETR4");
    assert.equal(petr4?.fees, "0.00");
    assert.equal(petr4?.closingPosition, filled.positionAfter, "the closing position is the one after the day's last trade");

    const audited = await itemsIn(String(outputs().AuditTableName), `ORDER#${orderId}`);
    assert.deepEqual(audited.map((item) => item.type), ["accepted", "filled"], "one audit item per state");

    if (target.name === "localcloud") {
      const delivered = (fn: string, message: string) => target.logs.filter((line) => line.startsWith(fn) && line.includes(`"correlationId":"${correlationId}"`) && line.includes(message));
      await waitFor("the push and the e-mail", async () => (delivered("send-push", "push delivered").length > 0 && delivered("send-email", "email delivered").length > 0 ? true : undefined));
      // Everything downstream of the order has run: a duplicate would be in the logs by now.
      assert.equal(delivered("send-push", "push delivered").length, 1, "one push");
      assert.equal(delivered("send-email", "email delivered").length, 1, "one e-mail");
      assert.equal(delivered("audit-recorder", "order event audited").length, 2);
      assert.equal(delivered("record-statement-lines", "statement line recorded").length, 1);
    }
  });

  test("the routes' refusals: another user's order events 404, a malformed statement date 400 INVALID_DATE", async () => {
    const events = await api.get<{ error: { code: string } }>("2", "orders/does-not-exist/events");
    assert.equal(events.status, 404);
    assert.equal(events.body.error.code, "ORDER_NOT_FOUND");
    const statement = await api.get<{ error: { code: string } }>("1", "users/1/statements/2026-02-30");
    assert.equal(statement.status, 400);
    assert.equal(statement.body.error.code, "INVALID_DATE");
  });

  test("a large order raises one compliance event: one message on the compliance queue and one alert line", async () => {
    const queueUrl = String(outputs().ComplianceQueueUrl);
    await drain(queueUrl);
    // About USD 22,000 of AAPL: above the USD threshold of 20,000.00; the demo users hold USD 100,000.00.
    const correlationId = `large-order-${Date.now()}`;
    const placed = await api.post<{ orderId: string }>("3", "orders", { ticker: "AAPL", quantity: 100, side: "BUY" }, { "x-correlation-id": correlationId });
    assert.equal(placed.status, 202);
    const { orderId } = placed.body;
    const alerts = await waitFor("the compliance event", async () => {
      const found = (await drain(queueUrl)).map((m) => JSON.parse(m.Body ?? "{}") as { "detail-type": string; detail: { orderId: string; currency: string; amount: string } });
      return found.length > 0 ? found : undefined;
    }, 45_000, 1_000);
    assert.deepEqual(alerts.map((a) => [a["detail-type"], a.detail.orderId, a.detail.currency]), [["LargeOrderExecuted", orderId, "USD"]]);
    assert.ok(Number(alerts[0]?.detail.amount) > 20_000);
    if (target.name === "localcloud") {
      const alertLines = () => target.logs.filter((line) => line.startsWith("log-alert ") && line.includes(orderId));
      await waitFor("the alert log line", async () => (alertLines().length > 0 ? true : undefined));
      assert.equal(alertLines().length, 1, "one alert line");
    }
    assert.deepEqual(await drain(queueUrl), [], "no second event");
  });

  test("a poisoned message reaches its dead-letter queue and sets the DLQ alarm to ALARM (aws cloudwatch describe-alarms)", async () => {
    const queueUrl = String(outputs().AuditQueueUrl);
    const deadLetterUrl = String(outputs().AuditDeadLetterQueueUrl);
    const [alarm] = (await describeAlarms("Brokerage-Audit")).filter((a) => a.AlarmName.endsWith("-DeadLetters"));
    assert.ok(alarm, "the audit DLQ has an alarm");
    assert.notEqual(alarm.StateValue, "ALARM", "no dead letter yet");
    // Short redeliveries, so three failed receives take seconds, not the consumer's minutes.
    const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["VisibilityTimeout"] }));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { VisibilityTimeout: "1" } }));
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "{\"not\":\"an order event\"}" }));
      await waitFor("the poisoned message in the dead-letter queue", async () => {
        const { Attributes: dlq = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: deadLetterUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
        return Number(dlq.ApproximateNumberOfMessages) > 0 ? true : undefined;
      }, 60_000, 1_000);
    } finally {
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { VisibilityTimeout: Attributes.VisibilityTimeout ?? "60" } }));
    }
    const alarmed = await waitFor("the DLQ alarm in ALARM", async () => {
      const [now] = (await describeAlarms(alarm.AlarmName)).filter((a) => a.AlarmName === alarm.AlarmName);
      return now?.StateValue === "ALARM" ? now : undefined;
    }, 90_000, 2_000);
    assert.match(alarmed.StateReason, /Threshold Crossed/);
    const others = (await describeAlarms("Brokerage-")).filter((a) => a.StateValue === "ALARM" && a.AlarmName !== alarm.AlarmName && a.AlarmName.endsWith("-DeadLetters"));
    assert.deepEqual(others.map((a) => a.AlarmName), [], "no other dead-letter alarm fired");
  });
});
