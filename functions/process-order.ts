import { processPartialResponse, SqsFifoPartialProcessorAsync } from "@aws-lambda-powertools/batch";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { DynamoOrderStore } from "../adapters/dynamo-order-store.ts";
import { DynamoQuoteStore } from "../adapters/dynamo-quote-store.ts";
import { DynamoTradeLedger } from "../adapters/dynamo-trade-ledger.ts";
import { DynamoUserStore } from "../adapters/dynamo-user-store.ts";
import { LambdaConsolidationTrigger } from "../adapters/lambda-consolidation-trigger.ts";
import { accountSnapshotOf, type AccountSnapshot, type OrderMessage } from "../adapters/ports.ts";
import { SqsRetryDelay } from "../adapters/sqs-retry-delay.ts";
import type { OrderOutcome } from "../domain/notification.ts";
import { retryDelaySeconds } from "../domain/retry-backoff.ts";
import { batchDeadline, OutOfTimeError } from "./process/batch-deadline.ts";
import { OrderProcessor, type OrderBatch } from "./process/order-processor.ts";
import { priceSourceFromEnv, priceTimeoutMsFromEnv } from "./process/price-source-from-env.ts";
import { ENV } from "./shared/env-names.ts";
import { requireEnv } from "./shared/env.ts";
import { logForOrder, logger } from "./shared/logger.ts";
import { MalformedMessageError, orderMessageSchema, parseMessage } from "./shared/messages.ts";
import { metricsOf } from "./shared/order-metrics.ts";
import { metrics, tracer } from "./shared/telemetry.ts";

const usersTable = requireEnv(ENV.USERS_TABLE);
const transactionsTable = requireEnv(ENV.TRANSACTIONS_TABLE);
const quotes = new DynamoQuoteStore(requireEnv(ENV.QUOTES_TABLE));
const consolidation = new LambdaConsolidationTrigger(requireEnv(ENV.CONSOLIDATE_FUNCTION_NAME));
const retryDelay = new SqsRetryDelay(requireEnv(ENV.ORDERS_QUEUE_URL));
const processor = new OrderProcessor({
  orders: new DynamoOrderStore(transactionsTable),
  users: new DynamoUserStore(usersTable),
  quotes,
  prices: priceSourceFromEnv(quotes),
  ledger: new DynamoTradeLedger(transactionsTable, usersTable),
  metrics: metricsOf(metrics),
});
const priceTimeoutMs = priceTimeoutMsFromEnv();
// A failed record skips only the rest of its user's group, so other users' orders go on; a batch
// that fails entirely is still reported record by record rather than thrown.
const batch = new SqsFifoPartialProcessorAsync();

/** One order message; throws only when SQS should deliver it again. An outcome it decides goes into `outcomes`. */
const recordHandler = async (record: SQSRecord, orderBatch: OrderBatch, outcomes: OrderOutcome[]): Promise<void> => {
  logForOrder({});
  let message;
  try {
    message = parseMessage(orderMessageSchema, record.body);
  } catch (error) {
    if (!(error instanceof MalformedMessageError)) throw error;
    // Retrying cannot fix a malformed message: log it and let it go.
    logger.error("malformed order message dropped", { messageId: record.messageId, problem: error.message });
    return;
  }
  logForOrder({ orderId: message.orderId, correlationId: message.correlationId, userId: message.userId });
  let outcome;
  try {
    outcome = await processor.process(message, orderBatch);
  } catch (error) {
    if (error instanceof OutOfTimeError) {
      // Not a failure of the order: it comes back at the queue's visibility timeout, with no backoff.
      logger.info("no time left in this invocation; the order goes back to the queue", { messageId: record.messageId, reason: error.message });
      throw error;
    }
    const receiveCount = Number(record.attributes.ApproximateReceiveCount);
    const retryInSeconds = retryDelaySeconds(receiveCount);
    logger.warn("order processing failed; SQS will deliver it again", {
      error: error instanceof Error ? error.message : String(error),
      receiveCount,
      retryInSeconds,
    });
    await delayRetry(record, retryInSeconds);
    throw error;
  }
  if (outcome) outcomes.push(outcome);
};

/** The order message of a record, or undefined for a malformed one. */
function messageOf(record: SQSRecord): OrderMessage | undefined {
  try {
    return parseMessage(orderMessageSchema, record.body);
  } catch {
    return undefined;
  }
}

/** The order ids of the batch's well-formed messages, to read their orders together. */
function orderIdsOf(records: readonly SQSRecord[]): string[] {
  return records.flatMap((record) => messageOf(record)?.orderId ?? []);
}

/**
 * Logs the records the processor gave back without handing them to recordHandler: the FIFO
 * processor skips the rest of a user's group once one of its orders fails or runs out of time.
 */
function logHeldBack(records: readonly SQSRecord[], response: SQSBatchResponse, taken: ReadonlySet<string>): void {
  const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  for (const record of records) {
    if (!failed.has(record.messageId) || taken.has(record.messageId)) continue;
    const message = messageOf(record);
    if (!message) continue;
    logForOrder({ orderId: message.orderId, correlationId: message.correlationId, userId: message.userId });
    logger.info("held back behind an earlier order of its user; the order goes back to the queue", { messageId: record.messageId });
  }
  logForOrder({});
}

/**
 * Starts one consolidation for all the batch's decided outcomes (it values each user once).
 * A failed invoke is logged and left: its orders stay unnotified, and the reconciler starts
 * them again.
 */
async function consolidate(outcomes: readonly OrderOutcome[], orderBatch: OrderBatch): Promise<void> {
  if (outcomes.length === 0) return;
  try {
    await consolidation.trigger(outcomes, accountSnapshots(outcomes, orderBatch));
  } catch (error) {
    // The trades are already recorded; a retry would find the orders final and skip them.
    for (const outcome of outcomes) {
      logForOrder({ orderId: outcome.orderId, correlationId: outcome.correlationId, userId: outcome.userId });
      logger.error("could not start consolidation", error instanceof Error ? error : String(error));
    }
  }
  logForOrder({});
}

/** The accounts of the outcomes' users as the batch's fills left them (those it still trusts). */
function accountSnapshots(outcomes: readonly OrderOutcome[], orderBatch: OrderBatch): Record<string, AccountSnapshot> {
  const snapshots: Record<string, AccountSnapshot> = {};
  for (const { userId } of outcomes) {
    const account = orderBatch.accounts.get(userId)?.account;
    if (account) snapshots[userId] = accountSnapshotOf(account);
  }
  return snapshots;
}

/** Backs off before the next delivery; if that fails, the queue's own visibility timeout applies. */
async function delayRetry(record: SQSRecord, seconds: number): Promise<void> {
  try {
    await retryDelay.delay(record.receiptHandle, seconds);
  } catch (error) {
    logger.warn("could not delay the retry; it comes at the queue's visibility timeout", { problem: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * Decides every record first (each fill or rejection written, failures reported per record),
 * taking records only while the invocation's deadline leaves time for one more; then appends
 * the batch's quotes to the history and starts one consolidation with all the batch's
 * outcomes, before the batch response is returned.
 */
const lambdaHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  const deadline = batchDeadline(() => context.getRemainingTimeInMillis(), priceTimeoutMs);
  const orderBatch = processor.startBatch(orderIdsOf(event.Records), deadline);
  const outcomes: OrderOutcome[] = [];
  const taken = new Set<string>();
  const handleRecord = (record: SQSRecord) => {
    taken.add(record.messageId);
    return recordHandler(record, orderBatch, outcomes);
  };
  const response = await processPartialResponse(event, handleRecord, batch, {
    context,
    skipGroupOnError: true,
    throwOnFullBatchFailure: false,
  });
  logHeldBack(event.Records, response, taken);
  await Promise.all([processor.finishBatch(orderBatch), consolidate(outcomes, orderBatch)]);
  return response;
};

export const handler = middy(lambdaHandler).use(captureLambdaHandler(tracer)).use(logMetrics(metrics));
