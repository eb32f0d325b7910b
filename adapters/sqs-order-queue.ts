import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { sqsClient } from "./aws-clients.ts";
import type { OrderMessage, OrderQueue } from "./ports.ts";

/** The FIFO orders queue: one message group per user keeps each user's orders in order. */
export class SqsOrderQueue implements OrderQueue {
  constructor(
    private readonly queueUrl: string,
    private readonly client: SQSClient = sqsClient,
  ) {}

  async enqueue(message: OrderMessage): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        MessageGroupId: message.userId,
        MessageDeduplicationId: message.orderId,
        MessageAttributes: { correlationId: { DataType: "String", StringValue: message.correlationId } },
      }),
    );
  }
}
