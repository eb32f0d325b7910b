/** `dlq redrive`: moves every message of a dead-letter queue back to its source queue. */
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { DeadLetterQueuePair } from "./dead-letter-queues.ts";
import { peekMessages, release } from "./dlq-peek.ts";

export interface RedriveResult {
  readonly queue: string;
  readonly dryRun: boolean;
  /** Sent to the source queue and deleted from the DLQ (with --dry-run: would be). */
  readonly moved: number;
  /** Sent but not deleted: still in the DLQ, so a second redrive sends them again. */
  readonly sentNotDeleted: number;
  /** Not sent (the send failed): still in the DLQ. */
  readonly failed: number;
  /** Arrived in the DLQ after the redrive started (likely failed again): left for the next run. */
  readonly leftForLater: number;
}

/** SQS allows 1 to 128 characters; a message id is a UUID, so this stays well inside. */
export const redriveDeduplicationId = (messageId: string): string => `redrive-${messageId}`.slice(0, 128);

function copyAttributes(message: Message): Record<string, MessageAttributeValue> | undefined {
  const attributes = message.MessageAttributes;
  return attributes && Object.keys(attributes).length > 0 ? attributes : undefined;
}

function sendEntry(message: Message, index: number, fifo: boolean): SendMessageBatchRequestEntry {
  const attributes = copyAttributes(message);
  return {
    Id: String(index),
    MessageBody: message.Body ?? "",
    ...(attributes ? { MessageAttributes: attributes } : {}),
    ...(fifo
      ? { MessageGroupId: message.Attributes?.MessageGroupId ?? "redrive", MessageDeduplicationId: redriveDeduplicationId(String(message.MessageId)) }
      : {}),
  };
}

/**
 * Each batch is sent to the source queue first and deleted from the DLQ only
 * once sent, so stopping halfway loses nothing (at worst a message is sent
 * twice; on a FIFO queue the deduplication id makes a retry within five
 * minutes a no-op). Messages sent to the DLQ after the start are held aside,
 * so a message that fails again at once cannot keep the loop going.
 */
export async function redrive(sqs: SQSClient, pair: DeadLetterQueuePair, options: { dryRun?: boolean; startedAt?: number } = {}): Promise<RedriveResult> {
  const queue = pair.name;
  if (options.dryRun) {
    const messages = await peekMessages(sqs, pair.deadLetterQueueUrl, { max: 10_000 });
    return { queue, dryRun: true, moved: messages.length, sentNotDeleted: 0, failed: 0, leftForLater: 0 };
  }
  const startedAt = options.startedAt ?? Date.now();
  const heldBack: Message[] = [];
  const unsent: Message[] = [];
  let moved = 0;
  let sentNotDeleted = 0;
  try {
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: pair.deadLetterQueueUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 60,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ["All"],
          MessageAttributeNames: ["All"],
        }),
      );
      if (Messages.length === 0) break;
      const batch = Messages.filter((m) => Number(m.Attributes?.SentTimestamp ?? 0) < startedAt);
      heldBack.push(...Messages.filter((m) => !batch.includes(m)));
      if (batch.length === 0) continue;

      const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl: pair.sourceQueueUrl, Entries: batch.map((m, i) => sendEntry(m, i, pair.fifo)) }));
      const sentIds = new Set((sent.Successful ?? []).map((entry) => entry.Id));
      const delivered = batch.filter((_, i) => sentIds.has(String(i)));
      unsent.push(...batch.filter((_, i) => !sentIds.has(String(i))));
      if (delivered.length === 0) break;

      const deleted = await sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: pair.deadLetterQueueUrl, Entries: delivered.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }),
      );
      moved += deleted.Successful?.length ?? 0;
      sentNotDeleted += deleted.Failed?.length ?? 0;
    }
  } finally {
    await release(sqs, pair.deadLetterQueueUrl, [...heldBack, ...unsent]);
  }
  return { queue, dryRun: false, moved, sentNotDeleted, failed: unsent.length, leftForLater: heldBack.length };
}
