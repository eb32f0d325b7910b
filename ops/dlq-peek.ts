/** Reads a queue's messages without consuming them. */
import { ChangeMessageVisibilityBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from "@aws-sdk/client-sqs";

export interface PeekOptions {
  /** Stop after this many messages. @default 100 */
  readonly max?: number;
  /** How long peeked messages stay hidden if the tool dies before releasing them. @default 20 */
  readonly visibilitySeconds?: number;
}

/**
 * Receives until the queue has nothing more to give, keeping what it got
 * invisible so no message is returned twice, then makes all of them visible
 * again at once (visibility 0). A FIFO queue shows at most the head of each
 * message group this way: the rest of a group stays locked behind it.
 */
export async function peekMessages(sqs: SQSClient, queueUrl: string, options: PeekOptions = {}): Promise<Message[]> {
  const max = options.max ?? 100;
  const seen = new Map<string, Message>();
  try {
    while (seen.size < max) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, max - seen.size),
          VisibilityTimeout: options.visibilitySeconds ?? 20,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ["All"],
          MessageAttributeNames: ["All"],
        }),
      );
      const fresh = Messages.filter((m) => m.MessageId && !seen.has(m.MessageId));
      if (fresh.length === 0) break;
      for (const message of fresh) seen.set(String(message.MessageId), message);
    }
  } finally {
    await release(sqs, queueUrl, [...seen.values()]);
  }
  return [...seen.values()];
}

/** Makes received messages visible again right away. */
export async function release(sqs: SQSClient, queueUrl: string, messages: readonly Message[]): Promise<void> {
  for (let start = 0; start < messages.length; start += 10) {
    const entries = messages.slice(start, start + 10).map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
    await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
  }
}
