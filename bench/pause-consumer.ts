/**
 * --accept-only: the orders queue's event source mappings disabled for the load, so only
 * the accept path runs, then enabled again so the backlog drains. UpdateEventSourceMapping,
 * as on AWS or LocalStack.
 */
import { ListEventSourceMappingsCommand, UpdateEventSourceMappingCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";

export interface PausedConsumer {
  /** The mappings paused. */
  readonly uuids: readonly string[];
  resume(): Promise<void>;
}

export async function pauseQueueConsumer(clients: { sqs: SQSClient; lambda: LambdaClient }, queueUrl: string): Promise<PausedConsumer> {
  const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }));
  const queueArn = Attributes?.QueueArn;
  if (!queueArn) throw new Error(`${queueUrl} has no QueueArn`);
  const { EventSourceMappings = [] } = await clients.lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: queueArn }));
  const uuids = EventSourceMappings.filter((m) => m.State === "Enabled").flatMap((m) => (m.UUID ? [m.UUID] : []));
  if (uuids.length === 0) throw new Error(`no enabled event source mapping reads ${queueArn}`);
  for (const uuid of uuids) await clients.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }));
  let resumed = false;
  return {
    uuids,
    async resume() {
      if (resumed) return;
      resumed = true;
      for (const uuid of uuids) await clients.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }));
    },
  };
}
