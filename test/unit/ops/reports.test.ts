import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatAudit } from "../../../ops/audit-report.ts";
import { formatDeadLetterQueues, PEEK_NOTE } from "../../../ops/dlq-report.ts";

describe("operator tool reports", () => {
  test("dlq list aligns its columns and says that peeking counted as a receive", () => {
    const text = formatDeadLetterQueues([
      {
        name: "orders",
        deadLetterQueueUrl: "http://localhost:4566/000000000000/orders-dlq.fifo",
        sourceQueueUrl: "http://localhost:4566/000000000000/orders.fifo",
        depth: 3,
        inFlight: 0,
        messages: [
          { messageId: "m-1", sentAt: "2026-01-02T13:00:00.000Z", receiveCount: 4, messageGroupId: "1", summary: { orderId: "o1", userId: "1" }, reason: "order REJECTED; reason INSUFFICIENT_FUNDS" },
          { messageId: "m-22", sentAt: null, receiveCount: 12, messageGroupId: "2", summary: { body: "not json" }, reason: "unknown (see the function's logs for m-22)" },
        ],
      },
      { name: "push", deadLetterQueueUrl: "http://h/push-dlq", sourceQueueUrl: "http://h/push", depth: 0, inFlight: 0, messages: [] },
    ]);
    assert.deepEqual(text.split("\n"), [
      "orders  depth 3  orders-dlq.fifo → orders.fifo",
      "  MESSAGE ID  SENT                      RECEIVES  SUMMARY              REASON",
      "  m-1         2026-01-02T13:00:00.000Z  4         orderId=o1 userId=1  order REJECTED; reason INSUFFICIENT_FUNDS",
      "  m-22        ?                         12        body=not json        unknown (see the function's logs for m-22)",
      "  … 1 more not shown (a FIFO group shows only its first message while it is peeked)",
      "push    depth 0  push-dlq → push",
      "",
      PEEK_NOTE,
      "",
    ]);
  });

  test("the audit report marks each failing check with its expected and actual values", () => {
    const text = formatAudit({
      userId: "2",
      tradesReplayed: 1,
      ok: false,
      checks: [
        { name: "cash BRL", expected: "10.00 BRL", actual: "10.01 BRL", ok: false },
        { name: "cash USD", expected: "0.00 USD", actual: "0.00 USD", ok: true },
      ],
    });
    assert.deepEqual(text.split("\n"), [
      "user 2: 1 trade(s) replayed, 1 DIFFERENCE(S)",
      "        CHECK     EXPECTED   ACTUAL",
      "  DIFF  cash BRL  10.00 BRL  10.01 BRL",
      "  ok    cash USD  0.00 USD   0.00 USD",
      "",
    ]);
  });
});
