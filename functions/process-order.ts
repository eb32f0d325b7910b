import { processPartialResponse, SqsFifoPartialProcessorAsync } from "@aws-lambda-powertools/batch";
import middy from "@middy/core";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { DynamoOrderStore } from "../adapters/dynamo-order-store.ts";
import { DynamoQuoteStore } from "../adapters/dynamo-quote-store.ts";
import { DynamoTradeLedger } from "../adapters/dynamo-trade-ledger.ts";
import { DynamoUserStore } from "../adapters/dynamo-user-store.ts";
import { LambdaConsolidationTrigger } from "../adapters/lambda-consolidation-trigger.ts";
import { accountSnapshotOf, type AccountSnapshot } from "../adapters/ports.ts";
import { SqsRetryDelay } from "../adapters/sqs-retry-delay.ts";
import type { OrderOutcome } from "../domain/notification.ts";
import { retryDelaySeconds } from "../domain/retry-backoff.ts";
import { OrderProcessor, type OrderBatch } from "./process/order-processor.ts";
import { priceSourceFromEnv } from "./process/price-source-from-env.ts";
import { ENV } from "./shared/env-names.ts";
import { requireEnv } from "./shared/env.ts";
import { logForOrder, logger } from "./shared/logger.ts";
import { MalformedMessageError, orderMessageSchema, parseMessage } from "./shared/messages.ts";

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
});
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

/** The order ids of the batch's well-formed messages, to read their orders together. */
function orderIdsOf(records: readonly SQSRecord[]): string[] {
  return records.flatMap((record) => {
    try {
      return [parseMessage(orderMessageSchema, record.body).orderId];
    } catch {
      return [];
    }
  });
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
 * then appends the batch's quotes to the history and starts one consolidation with all the
 * batch's outcomes, before the batch response is returned.
 */
const lambdaHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  const orderBatch = processor.startBatch(orderIdsOf(event.Records));
  const outcomes: OrderOutcome[] = [];
  const response = await processPartialResponse(event, (record: SQSRecord) => recordHandler(record, orderBatch, outcomes), batch, {
    context,
    skipGroupOnError: true,
    throwOnFullBatchFailure: false,
  });
  logForOrder({});
  await Promise.all([processor.finishBatch(orderBatch), consolidate(outcomes, orderBatch)]);
  return response;
};

export const handler = middy(lambdaHandler);
