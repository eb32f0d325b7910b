/** The queues as the console shows them: depth now, and which queue is whose dead-letter queue. */

/** What the console reads of a queue (fauxqs's queue objects have it). */
export interface InspectableQueue {
  readonly name: string;
  getAttribute(name: string): string | undefined;
}

export interface QueueDepth {
  readonly name: string;
  readonly fifo: boolean;
  /** Waiting to be received. */
  readonly visible: number;
  /** Received and not yet deleted. */
  readonly inFlight: number;
  readonly delayed: number;
  /** The queue its failed messages move to, with the receives allowed first. */
  readonly deadLetterQueue?: { readonly name: string; readonly maxReceiveCount: number };
  /** The queues whose dead-letter queue this is (empty for an ordinary queue). */
  readonly deadLetterFor: readonly string[];
}

const nameOfArn = (arn: string): string => arn.slice(arn.lastIndexOf(":") + 1);
const count = (value: string | undefined): number => {
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : 0;
};

function redriveOf(queue: InspectableQueue): QueueDepth["deadLetterQueue"] {
  const policy = queue.getAttribute("RedrivePolicy");
  if (!policy) return undefined;
  try {
    const parsed = JSON.parse(policy) as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
    if (typeof parsed.deadLetterTargetArn !== "string") return undefined;
    return { name: nameOfArn(parsed.deadLetterTargetArn), maxReceiveCount: count(String(parsed.maxReceiveCount)) };
  } catch {
    // A policy that is not JSON names no dead-letter queue.
    return undefined;
  }
}

/** Every queue, by name. */
export function queueDepths(queues: Iterable<InspectableQueue>): QueueDepth[] {
  const listed = [...queues];
  const redrives = new Map(listed.map((queue) => [queue.name, redriveOf(queue)]));
  return listed
    .map((queue): QueueDepth => {
      const deadLetterQueue = redrives.get(queue.name);
      return {
        name: queue.name,
        fifo: queue.getAttribute("FifoQueue") === "true",
        visible: count(queue.getAttribute("ApproximateNumberOfMessages")),
        inFlight: count(queue.getAttribute("ApproximateNumberOfMessagesNotVisible")),
        delayed: count(queue.getAttribute("ApproximateNumberOfMessagesDelayed")),
        ...(deadLetterQueue === undefined ? {} : { deadLetterQueue }),
        deadLetterFor: [...redrives.entries()].filter(([, redrive]) => redrive?.name === queue.name).map(([source]) => source).sort(),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
