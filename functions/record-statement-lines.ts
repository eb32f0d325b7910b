import middy from "@middy/core";
import { utcDayOf } from "../domain/statement.ts";
import { DynamoStatementBook } from "../adapters/dynamo-statement-book.ts";
import { ENV } from "./shared/env-names.ts";
import { requireEnv } from "./shared/env.ts";
import { logger } from "./shared/logger.ts";
import { orderEventConsumer } from "./shared/order-event-batch.ts";

const book = new DynamoStatementBook(requireEnv(ENV.STATEMENTS_TABLE));

/**
 * Adds each filled order from the reports queue to its user's statement of the fill's UTC
 * day, one line per order; a redelivered event adds nothing.
 */
const lambdaHandler = orderEventConsumer(async (event) => {
  // The subscription's filter lets only fills through; anything else is not a statement's business.
  if (event.type !== "filled") {
    logger.warn("not a fill; no statement line", { type: event.type });
    return;
  }
  const { userId, orderId, ticker, currency, side, quantity, price, amount, positionAfter, occurredAt } = event;
  const added = await book.add({ userId, day: utcDayOf(occurredAt), orderId, executedAt: occurredAt, ticker, currency, side, quantity, price, amount, positionAfter });
  logger.info(added ? "statement line recorded" : "statement line was recorded already", { day: utcDayOf(occurredAt) });
});

export const handler = middy(lambdaHandler);
