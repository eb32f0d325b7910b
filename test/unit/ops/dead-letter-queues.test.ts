import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { pairsFromOutputs, selectPair } from "../../../ops/dead-letter-queues.ts";
import { redriveDeduplicationId } from "../../../ops/dlq-redrive.ts";
import { UnknownQueueError } from "../../../ops/errors.ts";

const base = "http://localhost:4566/000000000000";
const outputs = {
  ApiUrl: "http://localhost:4566/_aws/execute-api/abc/prod/",
  OrdersQueueUrl: `${base}/Brokerage-OrdersQueueC538DD4C-ED35F7E2BE9B.fifo`,
  OrdersDeadLetterQueueUrl: `${base}/Brokerage-OrdersDeadLetterQueueA73944CE-6E6887AD138F.fifo`,
  PushQueueUrl: `${base}/Brokerage-PushQueue7CACCF9A-495E470725AE`,
  PushDeadLetterQueueUrl: `${base}/Brokerage-PushDeadLetterQueue9E066B62-BDA7D474D30C`,
  UsersTableName: "Brokerage-Users",
};

describe("dead-letter queues from stack outputs", () => {
  test("each *DeadLetterQueueUrl output is paired with its source queue and named after it", () => {
    assert.deepEqual(pairsFromOutputs(outputs), [
      { name: "orders", deadLetterQueueUrl: outputs.OrdersDeadLetterQueueUrl, sourceQueueUrl: outputs.OrdersQueueUrl, fifo: true },
      { name: "push", deadLetterQueueUrl: outputs.PushDeadLetterQueueUrl, sourceQueueUrl: outputs.PushQueueUrl, fifo: false },
    ]);
  });

  test("a queue is chosen by name, or by DLQ URL even when the URL's host differs", () => {
    const pairs = pairsFromOutputs(outputs);
    assert.equal(selectPair(pairs, "PUSH").name, "push");
    const otherHost = outputs.OrdersDeadLetterQueueUrl.replace("localhost:4566", "sqs.us-east-1.amazonaws.com");
    assert.equal(selectPair(pairs, otherHost).name, "orders");
  });

  test("an unknown queue name is a clear error listing the known ones", () => {
    assert.throws(() => selectPair(pairsFromOutputs(outputs), "sms"), (error: unknown) => {
      assert.ok(error instanceof UnknownQueueError);
      assert.match(error.message, /unknown dead-letter queue "sms"; known: orders, push/);
      return true;
    });
  });

  test("the redrive deduplication id is stable per message, so a retried redrive is deduplicated", () => {
    const id = "3f1c2a4e-9b7d-4c1e-8f2a-6d5e4c3b2a10";
    assert.equal(redriveDeduplicationId(id), redriveDeduplicationId(id));
    assert.notEqual(redriveDeduplicationId(id), redriveDeduplicationId(id.replace("3f", "4f")));
    assert.ok(redriveDeduplicationId("x".repeat(200)).length <= 128);
  });
});
