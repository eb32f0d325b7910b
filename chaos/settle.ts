/** Waiting, bounded, for the pipeline to finish what was accepted. */
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { DeadLetterQueuePair } from "../ops/dead-letter-queues.ts";
import { queueDepth, scanOrders } from "./state.ts";

export interface SettleTarget {
  readonly dynamo: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly transactionsTable: string;
  readonly pairs: readonly DeadLetterQueuePair[];
}

export interface SettleResult {
  readonly settled: boolean;
  readonly unresolved: number;
  readonly sourceDepth: number;
  readonly deadLetterDepth: number;
  readonly seconds: number;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Polls every 5 s until every accepted order is final or its queue has dead-lettered
 * it, and the source queues are empty, twice in a row (an async invocation between
 * two functions is in no queue, so one quiet look is not enough), or the time is up.
 */
export async function settle(target: SettleTarget, acceptedIds: ReadonlySet<string>, timeoutMs: number, say: (line: string) => void): Promise<SettleResult> {
  const started = Date.now();
  let quietLooks = 0;
  let last = { unresolved: acceptedIds.size, sourceDepth: -1, deadLetterDepth: -1 };
  while (Date.now() - started < timeoutMs) {
    try {
      const stored = await scanOrders(target.dynamo, target.transactionsTable, "chaos-");
      const unresolved = [...acceptedIds].filter((id) => {
        const status = stored.get(id)?.status;
        return status !== "FILLED" && status !== "REJECTED";
      }).length;
      let sourceDepth = 0;
      let deadLetterDepth = 0;
      for (const pair of target.pairs) {
        sourceDepth += await queueDepth(target.sqs, pair.sourceQueueUrl);
        deadLetterDepth += await queueDepth(target.sqs, pair.deadLetterQueueUrl);
      }
      last = { unresolved, sourceDepth, deadLetterDepth };
      const ordersDlq = target.pairs.find((p) => p.name === "orders");
      const ordersDlqDepth = ordersDlq ? await queueDepth(target.sqs, ordersDlq.deadLetterQueueUrl) : 0;
      const quiet = sourceDepth === 0 && unresolved <= ordersDlqDepth;
      quietLooks = quiet ? quietLooks + 1 : 0;
      say(`settle: ${unresolved} not final, source queues ${sourceDepth}, DLQs ${deadLetterDepth} (${Math.round((Date.now() - started) / 1000)} s)`);
      if (quietLooks >= 2) return { settled: true, ...last, seconds: Math.round((Date.now() - started) / 1000) };
    } catch (error) {
      say(`settle: look failed (${error instanceof Error ? error.message : String(error)}); trying again`);
    }
    await sleep(5000);
  }
  return { settled: false, ...last, seconds: Math.round((Date.now() - started) / 1000) };
}

/**
 * Polls every 5 s until every accepted order that is final has been notified (its
 * push and e-mail queued), or the time is up. A crash between a fill and the start of
 * consolidation is repaired by the reconciler, after its grace period, so this can take
 * a few minutes after the orders themselves settled.
 */
export async function awaitNotifications(target: SettleTarget, acceptedIds: ReadonlySet<string>, timeoutMs: number, say: (line: string) => void): Promise<{ readonly unnotified: number; readonly seconds: number }> {
  const started = Date.now();
  let unnotified = -1;
  while (Date.now() - started < timeoutMs) {
    try {
      const stored = await scanOrders(target.dynamo, target.transactionsTable, "chaos-");
      unnotified = [...acceptedIds].filter((id) => {
        const order = stored.get(id);
        return order !== undefined && (order.status === "FILLED" || order.status === "REJECTED") && !order.notified;
      }).length;
      if (unnotified === 0) break;
      say(`notifications: ${unnotified} final orders not notified yet (${Math.round((Date.now() - started) / 1000)} s)`);
    } catch (error) {
      say(`notifications: look failed (${error instanceof Error ? error.message : String(error)}); trying again`);
    }
    await sleep(5000);
  }
  return { unnotified, seconds: Math.round((Date.now() - started) / 1000) };
}
