/**
 * Places orders at a steady rate whatever state the cloud is in: order i is due
 * at start + i / rate. Unlike the bench's open loop nothing is dropped: when the
 * in-flight cap is reached (the cloud is down and every request is retrying),
 * the next order waits for a slot, so every planned order is placed.
 */
import type { OrderBody, OrderClient, PlacedOrder } from "./client.ts";

export interface LoadProgress {
  /** Orders whose first request has gone out. */
  sent: number;
  /** Orders that got their final answer (or were given up on). */
  answered: number;
}

export interface LoadOptions {
  readonly total: number;
  readonly rate: number;
  readonly maxInFlight: number;
  /** Share of orders sent a second time after their 202, with the same key. */
  readonly replayShare: number;
  /** No order is started, and no retry made, after this time (ms since epoch). */
  readonly deadline: number;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export async function driveOrders(client: OrderClient, plan: (index: number) => OrderBody, options: LoadOptions, progress: LoadProgress): Promise<PlacedOrder[]> {
  const started = Date.now();
  const intervalMs = 1000 / options.rate;
  const running = new Set<Promise<PlacedOrder>>();
  const placed: Promise<PlacedOrder>[] = [];
  const replayEvery = options.replayShare > 0 ? Math.max(1, Math.round(1 / options.replayShare)) : 0;
  for (let index = 0; index < options.total && Date.now() < options.deadline; index++) {
    const due = started + index * intervalMs;
    if (Date.now() < due) await sleep(due - Date.now());
    while (running.size >= options.maxInFlight && Date.now() < options.deadline) await Promise.race(running);
    const body = plan(index);
    const one = client.place(index, body, { replay: replayEvery > 0 && index % replayEvery === replayEvery - 1, deadline: options.deadline });
    running.add(one);
    void one.finally(() => {
      running.delete(one);
      progress.answered++;
    });
    placed.push(one);
    progress.sent = index + 1;
  }
  return Promise.all(placed);
}
