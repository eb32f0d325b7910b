import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { queueDepths } from "../../../../localcloud/console/queue-depths.ts";
import { fakeQueue, redriveTo } from "../../../support/console-fakes.ts";

describe("the console's queue depth view", () => {
  test("shows visible and in-flight counts and ties each queue to its dead-letter queue both ways", () => {
    const depths = queueDepths([
      fakeQueue("orders.fifo", { ApproximateNumberOfMessages: "7", ApproximateNumberOfMessagesNotVisible: "2", FifoQueue: "true", RedrivePolicy: redriveTo("orders-dlq.fifo") }),
      fakeQueue("orders-dlq.fifo", { ApproximateNumberOfMessages: "1", ApproximateNumberOfMessagesNotVisible: "0", FifoQueue: "true" }),
      fakeQueue("push", { ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0", RedrivePolicy: redriveTo("shared-dlq", 5) }),
      fakeQueue("email", { ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0", RedrivePolicy: redriveTo("shared-dlq", 5) }),
      fakeQueue("shared-dlq", { ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" }),
    ]);
    assert.deepEqual(depths.map((q) => q.name), ["email", "orders-dlq.fifo", "orders.fifo", "push", "shared-dlq"]);
    const orders = depths.find((q) => q.name === "orders.fifo");
    assert.deepEqual(orders, { name: "orders.fifo", fifo: true, visible: 7, inFlight: 2, delayed: 0, deadLetterQueue: { name: "orders-dlq.fifo", maxReceiveCount: 3 }, deadLetterFor: [] });
    assert.deepEqual(depths.find((q) => q.name === "orders-dlq.fifo")?.deadLetterFor, ["orders.fifo"]);
    assert.deepEqual(depths.find((q) => q.name === "shared-dlq")?.deadLetterFor, ["email", "push"]);
  });

  test("a queue without a redrive policy, or with one that is not JSON, has no dead-letter queue", () => {
    const depths = queueDepths([fakeQueue("plain", {}), fakeQueue("broken", { RedrivePolicy: "{not json" })]);
    assert.deepEqual(depths.map((q) => [q.name, q.deadLetterQueue, q.visible]), [["broken", undefined, 0], ["plain", undefined, 0]]);
  });
});
