import { ChangeMessageVisibilityCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { sqsClient } from "./aws-clients.ts";
import type { RetryDelay } from "./ports.ts";

/** Delays a received message's next delivery by changing its visibility timeout. */
export class SqsRetryDelay implements RetryDelay {
  constructor(
    private readonly queueUrl: string,
    private readonly client: SQSClient = sqsClient,
  ) {}

  async delay(receiptHandle: string, seconds: number): Promise<void> {
    await this.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }));
  }
}
