/** The metrics AWS publishes by itself: AWS/Lambda per invocation, AWS/SQS sampled from the queues. */
import type { FauxqsStore } from "../sqs/fauxqs-embed.ts";
import type { MetricStore } from "./metric-store.ts";
import { sampleOf } from "./statistics.ts";

export function recordInvocation(store: MetricStore, functionName: string, durationMs: number, failed: boolean, at: number = Date.now()): void {
  const dimensions = { FunctionName: functionName };
  const put = (metricName: string, value: number) => store.put({ namespace: "AWS/Lambda", metricName, dimensions }, sampleOf(at, value));
  put("Invocations", 1);
  put("Errors", failed ? 1 : 0);
  put("Duration", durationMs);
  // The local cloud queues invocations beyond the concurrency instead of refusing them.
  put("Throttles", 0);
}

export function recordMessagesSent(store: MetricStore, queueName: string, count: number, at: number = Date.now()): void {
  store.put({ namespace: "AWS/SQS", metricName: "NumberOfMessagesSent", dimensions: { QueueName: queueName } }, sampleOf(at, count));
}

export interface QueueSnapshot {
  readonly name: string;
  readonly visible: number;
  readonly notVisible: number;
  /** Seconds since the oldest message still on the queue was sent; 0 when empty. */
  readonly oldestAgeSeconds: number;
}

export function recordQueueSnapshot(store: MetricStore, snapshot: QueueSnapshot, at: number = Date.now()): void {
  const dimensions = { QueueName: snapshot.name };
  const put = (metricName: string, value: number) => store.put({ namespace: "AWS/SQS", metricName, dimensions }, sampleOf(at, value));
  put("ApproximateNumberOfMessagesVisible", snapshot.visible);
  put("ApproximateNumberOfMessagesNotVisible", snapshot.notVisible);
  put("ApproximateAgeOfOldestMessage", snapshot.oldestAgeSeconds);
}

interface FauxqsMessage {
  readonly sentTimestamp?: number;
}

/** The parts of a fauxqs queue the sampler reads (fauxqs does not export its types). */
interface SampledQueue {
  readonly name: string;
  readonly messages?: readonly FauxqsMessage[];
  readonly delayedMessages?: readonly FauxqsMessage[];
  readonly fifoMessages?: ReadonlyMap<string, readonly FauxqsMessage[]>;
  readonly fifoDelayed?: ReadonlyMap<string, readonly FauxqsMessage[]>;
  readonly inflightMessages?: ReadonlyMap<string, { readonly message: FauxqsMessage }>;
  getAttribute(name: string): string | undefined;
  processTimers?(): void;
}

/** What each queue holds now, read from fauxqs's store without a request (so nothing is metered). */
export function queueSnapshots(store: FauxqsStore, now: number = Date.now()): QueueSnapshot[] {
  const snapshots: QueueSnapshot[] = [];
  for (const queue of store.allQueues() as Iterable<unknown> as Iterable<SampledQueue>) {
    // fauxqs returns expired in-flight messages to the queue lazily; count them where they are now.
    queue.processTimers?.();
    let oldest = now;
    const visit = (messages: Iterable<FauxqsMessage>) => {
      for (const message of messages) if (typeof message.sentTimestamp === "number" && message.sentTimestamp < oldest) oldest = message.sentTimestamp;
    };
    visit(queue.messages ?? []);
    visit(queue.delayedMessages ?? []);
    for (const group of queue.fifoMessages?.values() ?? []) visit(group);
    for (const group of queue.fifoDelayed?.values() ?? []) visit(group);
    for (const entry of queue.inflightMessages?.values() ?? []) visit([entry.message]);
    snapshots.push({
      name: queue.name,
      visible: Number(queue.getAttribute("ApproximateNumberOfMessages") ?? 0),
      notVisible: Number(queue.getAttribute("ApproximateNumberOfMessagesNotVisible") ?? 0),
      oldestAgeSeconds: Math.max(0, Math.floor((now - oldest) / 1000)),
    });
  }
  return snapshots;
}
