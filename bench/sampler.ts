import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { readdirSync, readFileSync } from "node:fs";

/** One sample per second while the run goes on. */
export interface Sample {
  readonly atMs: number;
  /** Queue name → visible + in-flight messages; undefined when the read failed or was still pending. */
  readonly queues: Record<string, number | undefined>;
  /** CPU of this process over the last interval, in cores (1.0 = one core busy), or undefined when external. */
  readonly cpuCores?: number;
  /** The part of it spent on the main thread (HTTP front door, emulators, bench client); the rest is worker threads. */
  readonly mainThreadCores?: number;
  readonly rssMb?: number;
}

/** Main thread vs all threads, in clock ticks, from /proc (Linux only; undefined elsewhere). */
function threadTicks(): { main: number; all: number } | undefined {
  try {
    let all = 0;
    let main = 0;
    for (const tid of readdirSync("/proc/self/task")) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      // Fields after the ")" that ends the thread name: utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ticks = Number(fields[11]) + Number(fields[12]);
      all += ticks;
      if (tid === String(process.pid)) main = ticks;
    }
    return { main, all };
  } catch {
    return undefined;
  }
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

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
export function startSampler(options: { sqs: SQSClient; queues: Record<string, string>; measureProcess: boolean }): Sampler {
  const samples: Sample[] = [];
  let lastCpu = process.cpuUsage();
  let lastTicks = threadTicks();
  let lastAt = performance.now();
  let busy: Promise<void> = Promise.resolve();
  let reading = false;

  const tick = (): void => {
    const atMs = performance.now();
    const seconds = (atMs - lastAt) / 1000;
    const processPart: Partial<Sample> = {};
    if (options.measureProcess && seconds > 0) {
      const cpu = process.cpuUsage(lastCpu);
      const ticks = threadTicks();
      Object.assign(processPart, {
        cpuCores: (cpu.user + cpu.system) / 1e6 / seconds,
        rssMb: process.memoryUsage.rss() / 2 ** 20,
        ...(ticks && lastTicks ? { mainThreadCores: (ticks.main - lastTicks.main) / TICKS_PER_SECOND / seconds } : {}),
      });
      lastCpu = process.cpuUsage();
      lastTicks = ticks;
    }
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
