/**
 * What the event-source pollers need of SQS: receive and delete, in the JSON
 * protocol's shapes. The local cloud hands them its SQS backend directly, so a
 * poll costs no SDK call and no loopback request (AWS bills the requests all the same,
 * and the meter counts them).
 */

/** A message as ReceiveMessage returns it in the JSON protocol (binary values in base64). */
export interface ReceivedMessage {
  readonly MessageId?: string;
  readonly ReceiptHandle?: string;
  readonly Body?: string;
  readonly MD5OfBody?: string;
  readonly MD5OfMessageAttributes?: string;
  readonly Attributes?: Record<string, string>;
  readonly MessageAttributes?: Record<string, ReceivedMessageAttribute>;
}

export interface ReceivedMessageAttribute {
  readonly DataType?: string;
  readonly StringValue?: string;
  readonly BinaryValue?: string;
  readonly StringListValues?: string[];
  readonly BinaryListValues?: string[];
}

export interface DeleteEntry {
  readonly Id: string;
  readonly ReceiptHandle: string;
}

export interface DeleteFailure {
  readonly Id?: string;
  readonly Code?: string;
  readonly Message?: string;
}

export interface QueueConsumer {
  /** Long-polls for up to `waitSeconds`; rejects with an AbortError once `signal` aborts. */
  receive(queueUrl: string, maxMessages: number, waitSeconds: number, signal: AbortSignal): Promise<ReceivedMessage[]>;
  /** Deletes up to ten messages; answers the entries that could not be deleted. */
  deleteBatch(queueUrl: string, entries: readonly DeleteEntry[]): Promise<DeleteFailure[]>;
}
