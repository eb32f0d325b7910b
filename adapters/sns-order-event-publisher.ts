import { PublishBatchCommand, SNSClient, type PublishBatchRequestEntry } from "@aws-sdk/client-sns";
import { eventAttributes, type OrderEvent } from "../functions/shared/order-events.ts";
import type { OrderEventPublisher } from "./event-ports.ts";

/** PublishBatch takes at most 10 entries. */
const BATCH_SIZE = 10;
/** Entries SNS failed on its side are published once more before they are reported. */
const ATTEMPTS = 2;

// Created here, not in aws-clients.ts, so only the functions that publish bundle the SNS client.
const defaultClient = new SNSClient({});

/** Publishes order events to the OrderEvents topic, ten per PublishBatch, with the attributes subscribers filter on. */
export class SnsOrderEventPublisher implements OrderEventPublisher {
  constructor(
    private readonly topicArn: string,
    private readonly client: SNSClient = defaultClient,
  ) {}

  async publishAll(events: readonly OrderEvent[]): Promise<string[]> {
    const failed: string[] = [];
    for (let start = 0; start < events.length; start += BATCH_SIZE) {
      failed.push(...(await this.publishChunk(events.slice(start, start + BATCH_SIZE))));
    }
    return failed;
  }

  /** One chunk of at most 10; a request that fails as a whole throws. */
  private async publishChunk(chunk: readonly OrderEvent[]): Promise<string[]> {
    const failed: string[] = [];
    // Entry ids only have to be unique within the request (and alphanumeric).
    let pending = new Map<string, OrderEvent>(chunk.map((event, index) => [`e${index}`, event]));
    for (let attempt = 1; pending.size > 0; attempt++) {
      const entries: PublishBatchRequestEntry[] = [...pending].map(([Id, event]) => ({ Id, Message: JSON.stringify(event), MessageAttributes: eventAttributes(event) }));
      const { Failed = [] } = await this.client.send(new PublishBatchCommand({ TopicArn: this.topicArn, PublishBatchRequestEntries: entries }));
      const retry = new Map<string, OrderEvent>();
      for (const failure of Failed) {
        const event = failure.Id === undefined ? undefined : pending.get(failure.Id);
        if (!event || failure.Id === undefined) continue;
        // A sender fault would fail the same way again; SNS's own faults get one more try.
        if (failure.SenderFault || attempt >= ATTEMPTS) failed.push(event.eventId);
        else retry.set(failure.Id, event);
      }
      pending = retry;
    }
    return failed;
  }
}
