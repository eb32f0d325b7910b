import type { SqsService } from "../sqs/index.ts";
import type { CloudContext, LambdaInvoker, SqsEventSourceConfig } from "../types.ts";
import { DuplicateDeliveries, type EventSourceFaultOptions } from "./event-source-faults.ts";
import { QueuePoller } from "./queue-poller.ts";

export interface SqsEventSourceMappingsOptions {
  /** Chaos runs: deliver batches twice at this rate. @default no faults */
  readonly faults?: EventSourceFaultOptions;
}

/** What UpdateEventSourceMapping may change here. */
export interface EventSourceMappingPatch {
  readonly enabled?: boolean;
  readonly batchSize?: number;
  readonly maximumBatchingWindowSeconds?: number;
}

/** Lambda's SQS event-source mappings: poll queues, invoke functions with batches, delete what succeeded. */
export class SqsEventSourceMappings {
  private readonly mappings: SqsEventSourceConfig[] = [];
  /** When each mapping was created or last changed (LastModified). */
  private readonly modified = new Map<string, Date>();
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
    this.modified.set(config.uuid, new Date());
    this.startPolling(config);
  }

  private startPolling(config: SqsEventSourceConfig): void {
    if (!config.enabled) return;
    const poller = new QueuePoller(this.ctx, this.sqs.consumer, this.sqs.queueUrlForArn(config.queueArn), config, this.lambda, this.duplicates);
    this.pollers.push({ uuid: config.uuid, poller });
    poller.start();
  }

  /** Stops a mapping's polling (the batches already given to its function finish) and forgets it. */
  async remove(uuid: string): Promise<void> {
    const index = this.mappings.findIndex((mapping) => mapping.uuid === uuid);
    if (index >= 0) this.mappings.splice(index, 1);
    this.modified.delete(uuid);
    await this.stopPolling(uuid);
  }

  /**
   * Changes a mapping; a disabled one stops polling (batches already given to its function
   * finish) and its messages wait in the queue until it is enabled again. Undefined: no such mapping.
   */
  async update(uuid: string, patch: EventSourceMappingPatch): Promise<SqsEventSourceConfig | undefined> {
    const index = this.mappings.findIndex((mapping) => mapping.uuid === uuid);
    const current = this.mappings[index];
    if (current === undefined) return undefined;
    const updated: SqsEventSourceConfig = {
      ...current,
      ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
      ...(patch.batchSize !== undefined ? { batchSize: patch.batchSize } : {}),
      ...(patch.maximumBatchingWindowSeconds !== undefined ? { maximumBatchingWindowSeconds: patch.maximumBatchingWindowSeconds } : {}),
    };
    this.mappings[index] = updated;
    this.modified.set(uuid, new Date());
    await this.stopPolling(uuid);
    this.startPolling(updated);
    return updated;
  }

  lastModified(uuid: string): Date | undefined {
    return this.modified.get(uuid);
  }

  private async stopPolling(uuid: string): Promise<void> {
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
