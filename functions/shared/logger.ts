import { Logger } from "@aws-lambda-powertools/logger";

/**
 * The one logger of every function: JSON lines, service name and level from
 * POWERTOOLS_SERVICE_NAME and POWERTOOLS_LOG_LEVEL. Handlers add orderId and
 * correlationId as temporary keys and reset them per invocation or record.
 */
export const logger = new Logger();

/** Sets the keys that tie a log line to an order, replacing those of the previous order. */
export function logForOrder(keys: { orderId?: string; correlationId?: string; userId?: string }): void {
  logger.resetKeys();
  logger.appendKeys(Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== undefined)));
}
