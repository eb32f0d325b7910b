import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { ProcessProbe } from "./process-probe.ts";

/** One sample per second while the run goes on. */
export interface Sample {
  readonly atMs: number;
  /** Queue name → visible + in-flight messages; undefined when the read failed or was still pending. */
  readonly queues: Record<string, number | undefined>;
  /** CPU of the local cloud's process over the last interval, in cores (1.0 = one core busy), when it can be read. */
  readonly cpuCores?: number;
  /** The part of it spent on the main thread (HTTP front door, emulators, and the bench client when in-process); the rest is other threads. */
  readonly mainThreadCores?: number;
  readonly rssMb?: number;
}

export async function queueDepth(sqs: SQSClient, url: string): Promise<number | undefined> {
  try {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  } catch {
    return undefined;
  }
}

export interface Sampler {
  readonly samples: Sample[];
  stop(): Promise<void>;
}

/** Samples every second until stopped; a queue read still pending at the next tick is skipped, not stacked. */
export function startSampler(options: { sqs: SQSClient; queues: Record<string, string>; probe?: ProcessProbe }): Sampler {
  const samples: Sample[] = [];
  let last = options.probe?.read();
  let lastAt = performance.now();
  let busy: Promise<void> = Promise.resolve();
  let reading = false;

  const tick = (): void => {
    const atMs = performance.now();
    const seconds = (atMs - lastAt) / 1000;
    const processPart: Partial<Sample> = {};
    const now = options.probe?.read();
    if (now && last && seconds > 0) {
      Object.assign(processPart, {
        cpuCores: (now.cpuMs - last.cpuMs) / 1000 / seconds,
        mainThreadCores: (now.mainThreadMs - last.mainThreadMs) / 1000 / seconds,
        rssMb: now.rssMb,
      });
    }
    last = now;
    lastAt = atMs;
    if (reading) {
      samples.push({ atMs, queues: {}, ...processPart });
      return;
    }
    reading = true;
    busy = (async () => {
      const queues: Record<string, number | undefined> = {};
      await Promise.all(Object.entries(options.queues).map(async ([name, url]) => (queues[name] = await queueDepth(options.sqs, url))));
      samples.push({ atMs, queues, ...processPart });
      reading = false;
    })();
  };

  const timer = setInterval(tick, 1000);
  return {
    samples,
    async stop() {
      clearInterval(timer);
      await busy;
      samples.sort((a, b) => a.atMs - b.atMs);
    },
  };
}
