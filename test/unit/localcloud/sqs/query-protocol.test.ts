import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { find, queryRequest, startSqs, textAt, type SqsFixture } from "./fixtures.ts";

const md5 = (text: string): string => createHash("md5").update(text).digest("hex");

describe("SQS query protocol (Debian's aws CLI 2.9)", () => {
  let fx: SqsFixture;
  let ordersUrl: string;
  let dlqUrl: string;

  before(async () => {
    fx = await startSqs();
    const dlq = await fx.sqs.createQueue("q-orders-dlq", {});
    dlqUrl = dlq.queueUrl;
    ordersUrl = (await fx.sqs.createQueue("q-orders", { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: 3 }) })).queueUrl;
  });
  after(() => fx.close());

  test("ListQueues answers ListQueuesResponse XML with the public queue URLs", async () => {
    const { status, xml } = await queryRequest(fx.server, { Action: "ListQueues", QueueNamePrefix: "q-orders" });
    assert.equal(status, 200);
    assert.equal(xml.name, "ListQueuesResponse");
    const urls = find(xml, "ListQueuesResult", "QueueUrl").map((element) => element.text);
    assert.deepEqual(urls, [`${fx.ctx.endpoint}/000000000000/q-orders`, `${fx.ctx.endpoint}/000000000000/q-orders-dlq`]);
    assert.match(textAt(xml, "ResponseMetadata", "RequestId") ?? "", /\S/);
  });

  test("SendMessage posted to the queue's URL path and ReceiveMessage carry body, attributes and message attributes", async () => {
    const path = new URL(ordersUrl).pathname;
    const sent = await queryRequest(fx.server, {
      Action: "SendMessage",
      MessageBody: "buy 10 PETR4 & hold",
      "MessageAttribute.1.Name": "correlationId",
      "MessageAttribute.1.Value.DataType": "String",
      "MessageAttribute.1.Value.StringValue": "c-1",
    }, path);
    assert.equal(sent.status, 200);
    assert.equal(textAt(sent.xml, "SendMessageResult", "MD5OfMessageBody"), md5("buy 10 PETR4 & hold"));
    const messageId = textAt(sent.xml, "SendMessageResult", "MessageId");
    assert.ok(messageId);

    const received = await queryRequest(fx.server, {
      Action: "ReceiveMessage",
      QueueUrl: ordersUrl,
      MaxNumberOfMessages: "10",
      "AttributeName.1": "All",
      "MessageAttributeName.1": "All",
    });
    const [message, ...others] = find(received.xml, "ReceiveMessageResult", "Message");
    assert.equal(others.length, 0);
    assert.ok(message);
    assert.equal(textAt(message, "MessageId"), messageId);
    assert.equal(textAt(message, "Body"), "buy 10 PETR4 & hold");
    const attributes = Object.fromEntries(find(message, "Attribute").map((a) => [textAt(a, "Name"), textAt(a, "Value")]));
    assert.equal(attributes["ApproximateReceiveCount"], "1");
    assert.match(attributes["SentTimestamp"] ?? "", /^\d+$/);
    const [attribute] = find(message, "MessageAttribute");
    assert.ok(attribute);
    assert.equal(textAt(attribute, "Name"), "correlationId");
    assert.equal(textAt(attribute, "Value", "StringValue"), "c-1");
    assert.equal(textAt(attribute, "Value", "DataType"), "String");

    const deleted = await queryRequest(fx.server, { Action: "DeleteMessage", QueueUrl: ordersUrl, ReceiptHandle: textAt(message, "ReceiptHandle") ?? "" });
    assert.equal(deleted.status, 200);
    assert.equal(deleted.xml.name, "DeleteMessageResponse");
  });

  test("batches: SendMessageBatch, ChangeMessageVisibility, DeleteMessageBatch", async () => {
    const sent = await queryRequest(fx.server, {
      Action: "SendMessageBatch",
      QueueUrl: ordersUrl,
      "SendMessageBatchRequestEntry.1.Id": "first",
      "SendMessageBatchRequestEntry.1.MessageBody": "one",
      "SendMessageBatchRequestEntry.2.Id": "second",
      "SendMessageBatchRequestEntry.2.MessageBody": "two",
      "SendMessageBatchRequestEntry.2.MessageAttribute.1.Name": "n",
      "SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType": "Number",
      "SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue": "2",
    });
    assert.deepEqual(find(sent.xml, "SendMessageBatchResult", "SendMessageBatchResultEntry").map((e) => textAt(e, "Id")), ["first", "second"]);

    const first = await queryRequest(fx.server, { Action: "ReceiveMessage", QueueUrl: ordersUrl, MaxNumberOfMessages: "10", "MessageAttributeName.1": "All" });
    const messages = find(first.xml, "ReceiveMessageResult", "Message");
    assert.deepEqual(messages.map((m) => textAt(m, "Body")).sort(), ["one", "two"]);
    const two = messages.find((m) => textAt(m, "Body") === "two");
    assert.equal(textAt(two!, "MessageAttribute", "Value", "DataType"), "Number");

    // Visibility 0 makes "one" receivable again at once, with a higher receive count.
    const one = messages.find((m) => textAt(m, "Body") === "one")!;
    const changed = await queryRequest(fx.server, { Action: "ChangeMessageVisibility", QueueUrl: ordersUrl, ReceiptHandle: textAt(one, "ReceiptHandle")!, VisibilityTimeout: "0" });
    assert.equal(changed.status, 200);
    const again = await queryRequest(fx.server, { Action: "ReceiveMessage", QueueUrl: ordersUrl, "AttributeName.1": "ApproximateReceiveCount" });
    const [redelivered] = find(again.xml, "ReceiveMessageResult", "Message");
    assert.equal(textAt(redelivered!, "Body"), "one");
    assert.equal(textAt(redelivered!, "Attribute", "Value"), "2");

    const deleted = await queryRequest(fx.server, {
      Action: "DeleteMessageBatch",
      QueueUrl: ordersUrl,
      "DeleteMessageBatchRequestEntry.1.Id": "a",
      "DeleteMessageBatchRequestEntry.1.ReceiptHandle": textAt(redelivered!, "ReceiptHandle")!,
      "DeleteMessageBatchRequestEntry.2.Id": "b",
      "DeleteMessageBatchRequestEntry.2.ReceiptHandle": textAt(two!, "ReceiptHandle")!,
    });
    assert.deepEqual(find(deleted.xml, "DeleteMessageBatchResult", "DeleteMessageBatchResultEntry").map((e) => textAt(e, "Id")), ["a", "b"]);
    const counts = await queryRequest(fx.server, {
      Action: "GetQueueAttributes", QueueUrl: ordersUrl,
      "AttributeName.1": "ApproximateNumberOfMessages", "AttributeName.2": "ApproximateNumberOfMessagesNotVisible",
    });
    const values = find(counts.xml, "GetQueueAttributesResult", "Attribute").map((a) => `${textAt(a, "Name")}=${textAt(a, "Value")}`);
    assert.deepEqual(values.sort(), ["ApproximateNumberOfMessages=0", "ApproximateNumberOfMessagesNotVisible=0"]);
  });

  test("CreateQueue, SetQueueAttributes, GetQueueUrl, PurgeQueue and DeleteQueue", async () => {
    const created = await queryRequest(fx.server, {
      Action: "CreateQueue", QueueName: "q-settings",
      "Attribute.1.Name": "VisibilityTimeout", "Attribute.1.Value": "7",
      "Attribute.2.Name": "DelaySeconds", "Attribute.2.Value": "0",
    });
    const url = textAt(created.xml, "CreateQueueResult", "QueueUrl");
    assert.equal(url, `${fx.ctx.endpoint}/000000000000/q-settings`);
    await queryRequest(fx.server, { Action: "SetQueueAttributes", QueueUrl: url!, "Attribute.1.Name": "VisibilityTimeout", "Attribute.1.Value": "9" });
    const read = await queryRequest(fx.server, { Action: "GetQueueAttributes", QueueUrl: url!, "AttributeName.1": "VisibilityTimeout", "AttributeName.2": "QueueArn" });
    const values = Object.fromEntries(find(read.xml, "GetQueueAttributesResult", "Attribute").map((a) => [textAt(a, "Name"), textAt(a, "Value")]));
    assert.deepEqual(values, { VisibilityTimeout: "9", QueueArn: "arn:aws:sqs:us-east-1:000000000000:q-settings" });
    assert.equal(textAt((await queryRequest(fx.server, { Action: "GetQueueUrl", QueueName: "q-settings" })).xml, "GetQueueUrlResult", "QueueUrl"), url);

    await queryRequest(fx.server, { Action: "SendMessage", QueueUrl: url!, MessageBody: "x" });
    assert.equal((await queryRequest(fx.server, { Action: "PurgeQueue", QueueUrl: url! })).xml.name, "PurgeQueueResponse");
    const empty = await queryRequest(fx.server, { Action: "ReceiveMessage", QueueUrl: url! });
    assert.equal(find(empty.xml, "ReceiveMessageResult", "Message").length, 0);

    assert.equal((await queryRequest(fx.server, { Action: "DeleteQueue", QueueUrl: url! })).status, 200);
    const gone = await queryRequest(fx.server, { Action: "GetQueueUrl", QueueName: "q-settings" });
    assert.equal(gone.status, 400);
  });

  test("ListDeadLetterSourceQueues lists the queues whose redrive policy targets the queue", async () => {
    const { xml } = await queryRequest(fx.server, { Action: "ListDeadLetterSourceQueues", QueueUrl: dlqUrl });
    assert.deepEqual(find(xml, "ListDeadLetterSourceQueuesResult", "QueueUrl").map((e) => e.text), [ordersUrl]);
  });

  test("errors come back as ErrorResponse XML with the query protocol's error code", async () => {
    const { status, xml } = await queryRequest(fx.server, { Action: "GetQueueUrl", QueueName: "no-such-queue" });
    assert.equal(status, 400);
    assert.equal(xml.name, "ErrorResponse");
    assert.equal(textAt(xml, "Error", "Type"), "Sender");
    assert.equal(textAt(xml, "Error", "Code"), "AWS.SimpleQueueService.NonExistentQueue");
    assert.match(textAt(xml, "Error", "Message") ?? "", /does not exist/);
  });
});
