import type { ReceivedMessage, ReceivedMessageAttribute } from "./queue-consumer.ts";

/** One record of the event Lambda's SQS poller hands to a function. */
export interface SqsEventRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: Record<string, string>;
  readonly messageAttributes: Record<string, SqsEventMessageAttribute>;
  readonly md5OfBody: string;
  readonly md5OfMessageAttributes?: string;
  readonly eventSource: "aws:sqs";
  readonly eventSourceARN: string;
  readonly awsRegion: string;
}

export interface SqsEventMessageAttribute {
  readonly stringValue?: string;
  readonly binaryValue?: string;
  readonly stringListValues: string[];
  readonly binaryListValues: string[];
  readonly dataType: string;
}

/** The system attributes Lambda passes on, in the order its events list them; FIFO ones only when present. */
const RECORD_ATTRIBUTES = [
  "AWSTraceHeader", "ApproximateReceiveCount", "SentTimestamp", "SequenceNumber", "MessageGroupId",
  "SenderId", "MessageDeduplicationId", "ApproximateFirstReceiveTimestamp", "DeadLetterQueueSourceArn",
] as const;

/** The JSON protocol already carries binary values in base64, as Lambda's events do. */
function eventAttribute(value: ReceivedMessageAttribute): SqsEventMessageAttribute {
  return {
    ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
    ...(value.BinaryValue !== undefined ? { binaryValue: value.BinaryValue } : {}),
    stringListValues: value.StringListValues ?? [],
    binaryListValues: [...(value.BinaryListValues ?? [])],
    dataType: value.DataType ?? "String",
  };
}

export function toEventRecord(message: ReceivedMessage, queueArn: string, region: string): SqsEventRecord {
  const received = message.Attributes ?? {};
  const attributes: Record<string, string> = {};
  for (const name of RECORD_ATTRIBUTES) {
    const value = received[name];
    if (value !== undefined) attributes[name] = value;
  }
  const messageAttributes: Record<string, SqsEventMessageAttribute> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) messageAttributes[name] = eventAttribute(value);
  return {
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    body: message.Body ?? "",
    attributes,
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? "",
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: "aws:sqs",
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}
