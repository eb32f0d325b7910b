import { processPartialResponse, SqsFifoPartialProcessorAsync } from "@aws-lambda-powertools/batch";
import middy from "@middy/core";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { DynamoOrderStore } from "../adapters/dynamo-order-store.ts";
import { DynamoQuoteStore } from "../adapters/dynamo-quote-store.ts";
import { DynamoTradeLedger } from "../adapters/dynamo-trade-ledger.ts";
import { DynamoUserStore } from "../adapters/dynamo-user-store.ts";
import { LambdaConsolidationTrigger } from "../adapters/lambda-consolidation-trigger.ts";
import { SqsRetryDelay } from "../adapters/sqs-retry-delay.ts";
import { retryDelaySeconds } from "../domain/retry-backoff.ts";
import { OrderProcessor } from "./process/order-processor.ts";
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

/** One order message; throws only when SQS should deliver it again. */
const recordHandler = async (record: SQSRecord): Promise<void> => {
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
    outcome = await processor.process(message);
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
  if (!outcome) return;
  try {
    await consolidation.trigger([outcome]);
  } catch (error) {
    // The trade is already recorded; a retry would find the order final and skip it.
    logger.error("could not start consolidation", error instanceof Error ? error : String(error));
  }
};

/** Backs off before the next delivery; if that fails, the queue's own visibility timeout applies. */
async function delayRetry(record: SQSRecord, seconds: number): Promise<void> {
  try {
    await retryDelay.delay(record.receiptHandle, seconds);
  } catch (error) {
    logger.warn("could not delay the retry; it comes at the queue's visibility timeout", { problem: error instanceof Error ? error.message : String(error) });
  }
}

const lambdaHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  processPartialResponse(event, recordHandler, batch, { context, skipGroupOnError: true, throwOnFullBatchFailure: false });

export const handler = middy(lambdaHandler);
