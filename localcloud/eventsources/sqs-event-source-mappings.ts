import type { SqsService } from "../sqs/index.ts";
import type { CloudContext, LambdaInvoker, SqsEventSourceConfig } from "../types.ts";
import { QueuePoller } from "./queue-poller.ts";

/** Lambda's SQS event-source mappings: poll queues, invoke functions with batches, delete what succeeded. */
export class SqsEventSourceMappings {
  private readonly mappings: SqsEventSourceConfig[] = [];
  private readonly pollers: QueuePoller[] = [];

  constructor(
    private readonly ctx: CloudContext,
    private readonly sqs: SqsService,
    private readonly lambda: LambdaInvoker,
  ) {}

  /** Registers a mapping and, if it is enabled, starts polling its queue. */
  add(config: SqsEventSourceConfig): void {
    this.mappings.push(config);
    if (!config.enabled) return;
    const poller = new QueuePoller(this.ctx, this.sqs.client, this.sqs.queueUrlForArn(config.queueArn), config, this.lambda);
    this.pollers.push(poller);
    poller.start();
  }

  list(): readonly SqsEventSourceConfig[] {
    return [...this.mappings];
  }

  /** Stops polling and waits for the batches already given to functions. */
  async stop(): Promise<void> {
    const stopping = this.pollers.splice(0);
    await Promise.all(stopping.map((poller) => poller.stop()));
  }
}
