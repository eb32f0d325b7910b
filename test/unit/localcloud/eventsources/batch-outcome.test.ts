import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { batchOutcome } from "../../../../localcloud/eventsources/batch-outcome.ts";
import type { SqsEventRecord } from "../../../../localcloud/eventsources/index.ts";

const record = (messageId: string): SqsEventRecord => ({
  messageId, receiptHandle: `rh-${messageId}`, body: "", attributes: {}, messageAttributes: {}, md5OfBody: "",
  eventSource: "aws:sqs", eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:q", awsRegion: "us-east-1",
});
const records = [record("m1"), record("m2"), record("m3")];
const ids = (list: readonly SqsEventRecord[]): string[] => list.map((r) => r.messageId);
const answer = (payload: string, functionError?: string) => ({ statusCode: 200, payload, ...(functionError ? { functionError } : {}) });

describe("reading a function's answer to an SQS batch", () => {
  test("a function error fails every record, whatever the payload says", () => {
    const outcome = batchOutcome(records, answer('{"batchItemFailures":[]}', "Unhandled"), true);
    assert.deepEqual(ids(outcome.failed), ["m1", "m2", "m3"]);
    assert.deepEqual(outcome.succeeded, []);
  });

  test("without ReportBatchItemFailures the answer is ignored and every record succeeds", () => {
    assert.deepEqual(ids(batchOutcome(records, answer('{"batchItemFailures":[{"itemIdentifier":"m1"}]}'), false).succeeded), ["m1", "m2", "m3"]);
  });

  test("null, empty and failure-free answers are complete successes", () => {
    for (const payload of ["null", "", "{}", '{"batchItemFailures":null}', '{"batchItemFailures":[]}']) {
      assert.deepEqual(ids(batchOutcome(records, answer(payload), true).succeeded), ["m1", "m2", "m3"], payload);
    }
  });

  test("reported message ids fail; the others succeed", () => {
    const outcome = batchOutcome(records, answer('{"batchItemFailures":[{"itemIdentifier":"m2"}]}'), true);
    assert.deepEqual(ids(outcome.succeeded), ["m1", "m3"]);
    assert.deepEqual(ids(outcome.failed), ["m2"]);
  });

  test("answers Lambda cannot honour fail the whole batch", () => {
    for (const payload of ['{"batchItemFailures":[{"itemIdentifier":""}]}', '{"batchItemFailures":[{"itemIdentifier":null}]}',
      '{"batchItemFailures":[{"id":"m1"}]}', '{"batchItemFailures":[{"itemIdentifier":"m9"}]}', "not json", '{"batchItemFailures":"m1"}']) {
      const outcome = batchOutcome(records, answer(payload), true);
      assert.deepEqual(ids(outcome.failed), ["m1", "m2", "m3"], payload);
      assert.ok(outcome.reason, payload);
    }
  });
});
