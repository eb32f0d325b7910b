import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { itemSize, numberSize, readUnits, valueSize, writeUnits } from "../../../../localcloud/metering/capacity-units.ts";
import { sqsCallUsage } from "../../../../localcloud/metering/sqs-requests.ts";
import { billedMilliseconds } from "../../../../localcloud/metering/usage-meter.ts";
import { diffUsage, type UsageSnapshot } from "../../../../localcloud/metering/usage.ts";

describe("DynamoDB item sizes", () => {
  it("counts attribute names and string values in UTF-8 bytes", () => {
    assert.equal(itemSize({ pk: { S: "abc" } }), 5);
    // "é" is 2 bytes in UTF-8, "€" 3.
    assert.equal(itemSize({ "né": { S: "€" } }), 3 + 3);
  });

  it("sizes numbers by significant digits: 1 byte per two, plus 1", () => {
    assert.equal(numberSize("0"), 1);
    assert.equal(numberSize("7"), 2);
    assert.equal(numberSize("12"), 2);
    assert.equal(numberSize("123"), 3);
    // Leading and trailing zeroes are trimmed; sign and point do not count.
    assert.equal(numberSize("-000120.500"), numberSize("1205"));
    assert.equal(numberSize("1200"), 2);
  });

  it("sizes binaries by their raw bytes, booleans and nulls as 1 byte", () => {
    assert.equal(valueSize({ B: Buffer.from("hello").toString("base64") }), 5);
    assert.equal(valueSize({ BOOL: true }), 1);
    assert.equal(valueSize({ NULL: true }), 1);
    assert.equal(valueSize({ SS: ["ab", "cde"] }), 5);
  });

  it("adds 3 bytes per list or map and 1 per element", () => {
    assert.equal(valueSize({ L: [] }), 3);
    assert.equal(valueSize({ L: [{ S: "ab" }, { N: "1" }] }), 3 + (1 + 2) + (1 + 2));
    assert.equal(valueSize({ M: { k: { S: "v" } } }), 3 + 1 + 1 + 1);
    assert.equal(itemSize({ m: { M: {} } }), 1 + 3);
  });
});

describe("request units", () => {
  it("rounds reads up to 4 KB: strong 1, eventual 0.5, transactional 2 per unit", () => {
    assert.equal(readUnits(3500, "strong"), 1);
    assert.equal(readUnits(4096, "strong"), 1);
    assert.equal(readUnits(4097, "strong"), 2);
    assert.equal(readUnits(10 * 1024, "eventual"), 1.5);
    assert.equal(readUnits(8 * 1024, "transactional"), 4);
  });

  it("charges a read of a missing item one unit", () => {
    assert.equal(readUnits(0, "strong"), 1);
    assert.equal(readUnits(0, "eventual"), 0.5);
    assert.equal(readUnits(0, "transactional"), 2);
  });

  it("rounds writes up to 1 KB of the larger of before and after; transactions double", () => {
    assert.equal(writeUnits(0, 2500), 3);
    assert.equal(writeUnits(2500, 100), 3);
    assert.equal(writeUnits(1024, 1024), 1);
    assert.equal(writeUnits(1025, 0), 2);
    assert.equal(writeUnits(0, 0), 1);
    assert.equal(writeUnits(0, 500, true), 2);
    assert.equal(writeUnits(0, 2500, true), 6);
  });
});

describe("SQS billed requests", () => {
  const big = "x".repeat(64 * 1024);
  it("counts a batch of up to 10 as one request", () => {
    const entries = Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: "hi" }));
    assert.deepEqual(sqsCallUsage("SendMessageBatch", { Entries: entries }, {}), { billedRequests: 1, messages: 10, emptyReceive: false });
  });

  it("bills every started 64 KB chunk of payload as a request", () => {
    assert.equal(sqsCallUsage("SendMessage", { MessageBody: big }, {}).billedRequests, 1);
    assert.equal(sqsCallUsage("SendMessage", { MessageBody: `${big}x` }, {}).billedRequests, 2);
    // Name, data type and value count: 1 + 6 + 1 bytes, so 7 bytes less body still overflows by one.
    const attributes = { a: { DataType: "String", StringValue: "v" } };
    assert.equal(sqsCallUsage("SendMessage", { MessageBody: big.slice(7), MessageAttributes: attributes }, {}).billedRequests, 2);
  });

  it("bills a receive by the messages it returned and marks an empty one", () => {
    const messages = [{ Body: big }, { Body: big }, { Body: "x" }];
    assert.deepEqual(sqsCallUsage("ReceiveMessage", {}, { Messages: messages }), { billedRequests: 3, messages: 3, emptyReceive: false });
    assert.deepEqual(sqsCallUsage("ReceiveMessage", {}, {}), { billedRequests: 1, messages: 0, emptyReceive: true });
  });
});

describe("Lambda billed duration", () => {
  it("rounds each invocation up to the millisecond", () => {
    assert.equal(billedMilliseconds(12.01), 13);
    assert.equal(billedMilliseconds(12), 12);
    assert.equal(billedMilliseconds(0.2), 1);
  });
});

describe("diffUsage", () => {
  const snapshot = (requests: number, gbSeconds: number): UsageSnapshot => ({
    takenAt: "t",
    dynamodb: [{ caller: "c", table: "t", operation: "GetItem", requests, readUnits: requests / 2, writeUnits: 0 }],
    sqs: [],
    lambda: [{ functionName: "f", displayName: "f", memorySizeMb: 256, architecture: "arm64", invocations: requests, errors: 0, billedMs: 10 * requests, gbSeconds }],
    apigateway: [],
    inFlight: { lambdaInvocations: 0 },
  });

  it("subtracts counters row by row, keeps the memory size and drops rows that did not change", () => {
    const diff = diffUsage(snapshot(5, 0.5), snapshot(2, 0.2));
    assert.deepEqual(diff.dynamodb, [{ caller: "c", table: "t", operation: "GetItem", requests: 3, readUnits: 1.5, writeUnits: 0 }]);
    assert.equal(diff.lambda[0]?.memorySizeMb, 256);
    assert.equal(diff.lambda[0]?.invocations, 3);
    assert.deepEqual(diffUsage(snapshot(2, 0.2), snapshot(2, 0.2)).dynamodb, []);
  });
});
