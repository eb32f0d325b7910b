import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { logForOrder, logger } from "./logger.ts";
import { parseMessage } from "./messages.ts";
import { orderEventSchema, type OrderEvent } from "./order-events.ts";

/**
 * A standard-queue consumer of order events (a raw-delivery subscription of the
 * OrderEvents topic): each record is parsed and handled on its own; one that throws
 * (malformed, or its write failed) is the only one retried and, in the end, dead-lettered.
 */
export function orderEventConsumer(handle: (event: OrderEvent) => Promise<void>) {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    logForOrder({});
    let event: OrderEvent;
    try {
      event = parseMessage(orderEventSchema, record.body);
    } catch (error) {
      logger.error("malformed order event", { messageId: record.messageId, problem: error instanceof Error ? error.message : String(error) });
      throw error;
    }
    logForOrder({ orderId: event.orderId, correlationId: event.correlationId, userId: event.userId });
    await handle(event);
  };
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false, processInParallel: false });
}
