import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eventEntryBytes, putEventsUsage, snsBilledRequests, snsMessageBytes, topicNameOf } from "../../../../localcloud/metering/sns-events-requests.ts";

const KB = 1024;

describe("SNS publishes as AWS bills them", () => {
  it("counts message, subject and each attribute's name, type and value", () => {
    const entry = { id: "", message: "héllo", subject: "s", attributes: { kind: { DataType: "String", StringValue: "FILLED" }, blob: { DataType: "Binary", BinaryValue: Buffer.from([1, 2, 3]).toString("base64") } } };
    assert.equal(snsMessageBytes(entry), 6 + 1 + (4 + 6 + 6) + (4 + 6 + 3));
  });

  it("bills every message of a batch, and every 64 KB chunk of one", () => {
    const small = { id: "1", message: "x", attributes: {} };
    assert.equal(snsBilledRequests([small]), 1);
    assert.equal(snsBilledRequests(Array.from({ length: 10 }, () => small)), 10, "a PublishBatch of ten is ten requests");
    assert.equal(snsBilledRequests([{ id: "", message: "x".repeat(64 * KB), attributes: {} }]), 1, "exactly 64 KB is one chunk");
    assert.equal(snsBilledRequests([{ id: "", message: "x".repeat(64 * KB + 1), attributes: {} }]), 2);
    assert.equal(snsBilledRequests([{ id: "", message: "x".repeat(256 * KB), attributes: {} }]), 4);
  });

  it("names the topic by the last part of its ARN", () => {
    assert.equal(topicNameOf("arn:aws:sns:us-east-1:000000000000:Brokerage-OrderEvents.fifo"), "Brokerage-OrderEvents.fifo");
    assert.equal(topicNameOf(null), "");
  });
});

describe("EventBridge custom events as AWS bills them", () => {
  it("sizes an entry by EventBridge's rule: 14 bytes of Time, then Source, DetailType, Detail and Resources in UTF-8", () => {
    assert.equal(eventEntryBytes({ Source: "brokerage", DetailType: "Large order", Detail: '{"a":"é"}' }), 9 + 11 + 10);
    assert.equal(eventEntryBytes({ Time: "2026-12-02T00:00:00Z", Source: "s", DetailType: "d", Detail: "{}", Resources: ["arn:x", "arn:y"] }), 14 + 1 + 1 + 2 + 10);
  });

  it("bills only the entries the answer says were put, by bus, each 64 KB chunk as one event", () => {
    const big = "x".repeat(100 * KB);
    const input = {
      Entries: [
        { Source: "s", DetailType: "d", Detail: "{}" },
        { Source: "s", DetailType: "d", Detail: `{"big":"${big}"}`, EventBusName: "arn:aws:events:us-east-1:000000000000:event-bus/compliance" },
        { Source: "s", DetailType: "d", Detail: "not json", EventBusName: "compliance" },
      ],
    };
    const output = { FailedEntryCount: 1, Entries: [{ EventId: "1" }, { EventId: "2" }, { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." }] };
    assert.deepEqual(putEventsUsage(input, output), [
      { bus: "default", events: 1, billedEvents: 1 },
      { bus: "compliance", events: 1, billedEvents: 2 },
    ]);
  });
});
