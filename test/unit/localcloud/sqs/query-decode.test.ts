import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { decodeQueryParameters } from "../../../../localcloud/sqs/query-decode.ts";

const decode = (action: string, params: Record<string, string>) => decodeQueryParameters(action, new URLSearchParams({ Action: action, Version: "2012-11-05", ...params }));

describe("query-protocol parameters as JSON-protocol input", () => {
  test("CreateQueue: attributes become a map and tags go to the lower-case `tags` member", () => {
    assert.deepEqual(decode("CreateQueue", {
      QueueName: "orders", "Attribute.1.Name": "VisibilityTimeout", "Attribute.1.Value": "30",
      "Attribute.2.Name": "FifoQueue", "Attribute.2.Value": "false", "Tag.1.Key": "app", "Tag.1.Value": "brokerage",
    }), { QueueName: "orders", Attributes: { VisibilityTimeout: "30", FifoQueue: "false" }, tags: { app: "brokerage" } });
  });

  test("ReceiveMessage: numbered names become lists in order and numbers become integers", () => {
    assert.deepEqual(decode("ReceiveMessage", {
      QueueUrl: "http://localhost:4566/000000000000/q", "AttributeName.2": "SentTimestamp", "AttributeName.1": "ApproximateReceiveCount",
      "MessageAttributeName.1": "All", MaxNumberOfMessages: "10", WaitTimeSeconds: "20",
    }), {
      QueueUrl: "http://localhost:4566/000000000000/q", AttributeNames: ["ApproximateReceiveCount", "SentTimestamp"],
      MessageAttributeNames: ["All"], MaxNumberOfMessages: 10, WaitTimeSeconds: 20,
    });
  });

  test("SendMessageBatch: entries with their own message attributes and delays", () => {
    assert.deepEqual(decode("SendMessageBatch", {
      QueueUrl: "u",
      "SendMessageBatchRequestEntry.1.Id": "a", "SendMessageBatchRequestEntry.1.MessageBody": "x", "SendMessageBatchRequestEntry.1.DelaySeconds": "5",
      "SendMessageBatchRequestEntry.2.Id": "b", "SendMessageBatchRequestEntry.2.MessageBody": "y",
      "SendMessageBatchRequestEntry.2.MessageAttribute.1.Name": "k",
      "SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType": "String",
      "SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue": "v",
    }), {
      QueueUrl: "u",
      Entries: [
        { Id: "a", MessageBody: "x", DelaySeconds: 5 },
        { Id: "b", MessageBody: "y", MessageAttributes: { k: { DataType: "String", StringValue: "v" } } },
      ],
    });
  });

  test("DeleteMessageBatch and UntagQueue", () => {
    assert.deepEqual(decode("DeleteMessageBatch", { QueueUrl: "u", "DeleteMessageBatchRequestEntry.1.Id": "a", "DeleteMessageBatchRequestEntry.1.ReceiptHandle": "rh" }),
      { QueueUrl: "u", Entries: [{ Id: "a", ReceiptHandle: "rh" }] });
    assert.deepEqual(decode("UntagQueue", { QueueUrl: "u", "TagKey.1": "app" }), { QueueUrl: "u", TagKeys: ["app"] });
  });
});
