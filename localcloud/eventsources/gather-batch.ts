import type { QueueConsumer, ReceivedMessage } from "./queue-consumer.ts";

/** SQS hands out at most ten messages per ReceiveMessage. */
const MAX_PER_RECEIVE = 10;
/** SQS's longest long poll. */
const MAX_WAIT_SECONDS = 20;

export interface GatherOptions {
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  readonly signal: AbortSignal;
}

function receive(queue: QueueConsumer, queueUrl: string, max: number, waitSeconds: number, signal: AbortSignal): Promise<ReceivedMessage[]> {
  return queue.receive(queueUrl, Math.min(MAX_PER_RECEIVE, max), waitSeconds, signal);
}

/**
 * Gathers one batch the way Lambda's poller does: long-polls until something
 * arrives, then keeps receiving until the batch is full or the batching window
 * (counted from the first message) has passed; with no window, until the queue
 * has nothing more to give at once.
 */
export async function gatherBatch(queue: QueueConsumer, queueUrl: string, options: GatherOptions): Promise<ReceivedMessage[]> {
  const { batchSize, maximumBatchingWindowSeconds, signal } = options;
  const batch = await receive(queue, queueUrl, batchSize, MAX_WAIT_SECONDS, signal);
  if (batch.length === 0) return batch;
  const deadline = Date.now() + maximumBatchingWindowSeconds * 1000;
  while (batch.length < batchSize && !signal.aborted) {
    const remainingMs = deadline - Date.now();
    const windowOpen = remainingMs > 0;
    if (maximumBatchingWindowSeconds > 0 && !windowOpen) break;
    const waitSeconds = windowOpen ? Math.min(MAX_WAIT_SECONDS, Math.ceil(remainingMs / 1000)) : 0;
    let more: ReceivedMessage[];
    try {
      more = await receive(queue, queueUrl, batchSize - batch.length, waitSeconds, signal);
    } catch {
      // Stopping or a failed call: still deliver what was already received (it is in flight now).
      break;
    }
    if (more.length === 0 && !windowOpen) break;
    batch.push(...more);
  }
  return batch;
}
