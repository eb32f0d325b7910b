import type { SqsService } from "../sqs/index.ts";
import type { CloudContext, LambdaInvoker, SqsEventSourceConfig } from "../types.ts";
import { DuplicateDeliveries, type EventSourceFaultOptions } from "./event-source-faults.ts";
import { QueuePoller } from "./queue-poller.ts";

export interface SqsEventSourceMappingsOptions {
  /** Chaos runs: deliver batches twice at this rate. @default no faults */
  readonly faults?: EventSourceFaultOptions;
}

/** Lambda's SQS event-source mappings: poll queues, invoke functions with batches, delete what succeeded. */
export class SqsEventSourceMappings {
  private readonly mappings: SqsEventSourceConfig[] = [];
  private pollers: Array<{ uuid: string; poller: QueuePoller }> = [];
  private readonly duplicates: DuplicateDeliveries | undefined;

  constructor(
    private readonly ctx: CloudContext,
    private readonly sqs: SqsService,
    private readonly lambda: LambdaInvoker,
    options: SqsEventSourceMappingsOptions = {},
  ) {
    this.duplicates = options.faults === undefined ? undefined : new DuplicateDeliveries(options.faults);
  }

  /** Registers a mapping and, if it is enabled, starts polling its queue. */
  add(config: SqsEventSourceConfig): void {
    this.mappings.push(config);
    if (!config.enabled) return;
    const poller = new QueuePoller(this.ctx, this.sqs.consumer, this.sqs.queueUrlForArn(config.queueArn), config, this.lambda, this.duplicates);
    this.pollers.push({ uuid: config.uuid, poller });
    poller.start();
  }

  /** Stops a mapping's polling (the batches already given to its function finish) and forgets it. */
  async remove(uuid: string): Promise<void> {
    const index = this.mappings.findIndex((mapping) => mapping.uuid === uuid);
    if (index >= 0) this.mappings.splice(index, 1);
    const stopping = this.pollers.filter((entry) => entry.uuid === uuid);
    this.pollers = this.pollers.filter((entry) => entry.uuid !== uuid);
    await Promise.all(stopping.map((entry) => entry.poller.stop()));
  }

  list(): readonly SqsEventSourceConfig[] {
    return [...this.mappings];
  }

  /** Stops polling and waits for the batches already given to functions. */
  async stop(): Promise<void> {
    const stopping = this.pollers.splice(0);
    await Promise.all(stopping.map((entry) => entry.poller.stop()));
  }
}
