import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from "@aws-sdk/client-sqs";
import { sqsClient } from "./aws-clients.ts";
import type { Notification, Notifier } from "./ports.ts";

/** SendMessageBatch takes at most 10 entries. */
const BATCH_SIZE = 10;
/** Entries SQS failed on its side are sent once more before they are reported. */
const ATTEMPTS = 2;

/** Puts notifications on a standard queue (push or e-mail), ten per request. */
export class SqsNotifier implements Notifier {
  constructor(
    private readonly queueUrl: string,
    private readonly client: SQSClient = sqsClient,
  ) {}

  async notifyAll(notifications: readonly Notification[]): Promise<string[]> {
    const failed: string[] = [];
    for (let start = 0; start < notifications.length; start += BATCH_SIZE) {
      failed.push(...(await this.sendChunk(notifications.slice(start, start + BATCH_SIZE))));
    }
    return failed;
  }

  /** One chunk of at most 10; a request that fails as a whole throws. */
  private async sendChunk(chunk: readonly Notification[]): Promise<string[]> {
    const failed: string[] = [];
    // Entry ids only have to be unique within the request.
    let pending = new Map<string, Notification>(chunk.map((notification, index) => [`n${index}`, notification]));
    for (let attempt = 1; pending.size > 0; attempt++) {
      const entries: SendMessageBatchRequestEntry[] = [...pending].map(([Id, notification]) => ({
        Id,
        MessageBody: JSON.stringify(notification),
        MessageAttributes: { correlationId: { DataType: "String", StringValue: notification.correlationId } },
      }));
      const { Failed = [] } = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
      const retry = new Map<string, Notification>();
      for (const failure of Failed) {
        const notification = failure.Id === undefined ? undefined : pending.get(failure.Id);
        if (!notification || failure.Id === undefined) continue;
        // A sender fault would fail the same way again; SQS's own faults get one more try.
        if (failure.SenderFault || attempt >= ATTEMPTS) failed.push(notification.orderId);
        else retry.set(failure.Id, notification);
      }
      pending = retry;
    }
    return failed;
  }
}
