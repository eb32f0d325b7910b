import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { Notification } from "../../domain/notification.ts";
import { logForOrder, logger } from "./logger.ts";
import { notificationSchema, parseMessage } from "./messages.ts";

/**
 * A standard-queue consumer of notifications: each record is parsed and
 * delivered on its own, one after another (the logger's order keys are per record,
 * and delivery may wait on KMS); a malformed one throws, so only it is retried and, in
 * the end, dead-lettered.
 */
export function notificationConsumer(deliver: (notification: Notification) => void | Promise<void>) {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    logForOrder({});
    let notification: Notification;
    try {
      notification = parseMessage(notificationSchema, record.body);
    } catch (error) {
      logger.error("malformed notification", { messageId: record.messageId, problem: error instanceof Error ? error.message : String(error) });
      throw error;
    }
    logForOrder({ orderId: notification.orderId, correlationId: notification.correlationId, userId: notification.userId });
    await deliver(notification);
  };
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false, processInParallel: false });
}
