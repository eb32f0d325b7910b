import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { sqsClient } from "./aws-clients.ts";
import type { Notification, Notifier } from "./ports.ts";

/** Puts one notification on a standard queue (push or e-mail). */
export class SqsNotifier implements Notifier {
  constructor(
    private readonly queueUrl: string,
    private readonly client: SQSClient = sqsClient,
  ) {}

  async notify(notification: Notification): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(notification),
        MessageAttributes: { correlationId: { DataType: "String", StringValue: notification.correlationId } },
      }),
    );
  }
}
