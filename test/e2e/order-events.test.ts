import { QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { documentClientFromEnv } from "../../ops/environment.ts";
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

  before(async () => {
    target = await startTarget();
    api = target.client("demo");
    dynamo = documentClientFromEnv(target.awsEnv);
  });
  after(async () => target?.stop());

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
});
