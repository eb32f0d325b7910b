import { setTimeout as sleep } from "node:timers/promises";
import type { CloudContext, LambdaInvoker, SqsEventSourceConfig } from "../types.ts";
import { batchOutcome, mergeDeliveries, type BatchOutcome } from "./batch-outcome.ts";
import type { DuplicateDeliveries } from "./event-source-faults.ts";
import { gatherBatch } from "./gather-batch.ts";
import type { QueueConsumer, ReceivedMessage } from "./queue-consumer.ts";
import { toEventRecord, type SqsEventRecord } from "./sqs-event.ts";

/** Lambda starts five pollers per SQS queue. */
const DEFAULT_POLLERS = 5;
const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 10_000;

const errorText = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/**
 * Polls one queue for one mapping with several concurrent loops. On a FIFO queue
 * the queue itself keeps a message group's messages from being handed out while
 * one of them is in flight, so loops never hold two batches of the same group.
 */
export class QueuePoller {
  private readonly abort = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(
    private readonly ctx: CloudContext,
    private readonly queue: QueueConsumer,
    private readonly queueUrl: string,
    private readonly config: SqsEventSourceConfig,
    private readonly lambda: LambdaInvoker,
    private readonly duplicates?: DuplicateDeliveries,
  ) {}

  start(): void {
    const count = Math.max(1, Math.min(DEFAULT_POLLERS, this.config.maximumConcurrency ?? DEFAULT_POLLERS));
    this.loops = Array.from({ length: count }, () => this.loop());
  }

  /** Ends long polls at once and waits for batches already handed to the function. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
  }

  private log(line: string): void {
    this.ctx.log("event-source", `${this.config.functionName} ← ${this.queueUrl}: ${line}`);
  }

  private async loop(): Promise<void> {
    const signal = this.abort.signal;
    let backoffMs = FIRST_BACKOFF_MS;
    while (!signal.aborted) {
      try {
        const { batchSize, maximumBatchingWindowSeconds } = this.config;
        const messages = await gatherBatch(this.queue, this.queueUrl, { batchSize, maximumBatchingWindowSeconds, signal });
        if (messages.length > 0) await this.process(messages);
        backoffMs = FIRST_BACKOFF_MS;
      } catch (error) {
        if (signal.aborted) break;
        this.log(`polling failed, retrying in ${backoffMs} ms: ${errorText(error)}`);
        await sleep(backoffMs, undefined, { signal }).catch(() => undefined);
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
      }
    }
  }

  private async process(messages: ReceivedMessage[]): Promise<void> {
    const records = messages.map((message) => toEventRecord(message, this.config.queueArn, this.ctx.region));
    let outcome: BatchOutcome;
    if (this.duplicates?.next() === true) {
      this.ctx.log("chaos", `injected duplicate: delivering a batch of ${records.length} message(s) from ${this.queueUrl} to ${this.config.functionName} twice`);
      // Both at once, as two pollers holding the same messages would.
      outcome = mergeDeliveries(records, await Promise.all([this.deliver(records), this.deliver(records)]));
    } else {
      outcome = await this.deliver(records);
    }
    if (outcome.failed.length > 0) {
      const why = outcome.reason ?? "reported as batch item failures";
      this.log(`${outcome.failed.length} of ${records.length} message(s) failed (${why}); they return after the visibility timeout`);
    }
    await this.delete(outcome.succeeded);
  }

  private async deliver(records: readonly SqsEventRecord[]): Promise<BatchOutcome> {
    try {
      const result = await this.lambda.invoke(this.config.functionName, JSON.stringify({ Records: records }), { invocationType: "RequestResponse" });
      return batchOutcome(records, result, this.config.reportBatchItemFailures);
    } catch (error) {
      return { succeeded: [], failed: records, reason: `invoke failed: ${errorText(error)}` };
    }
  }

  /** Deliberately not abortable: a batch the function finished is deleted even while stopping. */
  private async delete(records: readonly SqsEventRecord[]): Promise<void> {
    for (let start = 0; start < records.length; start += 10) {
      const chunk = records.slice(start, start + 10);
      const failed = await this.queue.deleteBatch(
        this.queueUrl,
        chunk.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
      );
      for (const failure of failed) this.log(`could not delete a message: ${failure.Code ?? ""} ${failure.Message ?? ""}`);
    }
  }
}
