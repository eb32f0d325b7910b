import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import { DynamoAttentionList } from "../adapters/dynamo-attention-list.ts";
import { DynamoOrderStore } from "../adapters/dynamo-order-store.ts";
import { DynamoQuoteStore } from "../adapters/dynamo-quote-store.ts";
import { DynamoUserStore } from "../adapters/dynamo-user-store.ts";
import { SnsOrderEventPublisher } from "../adapters/sns-order-event-publisher.ts";
import { PortfolioConsolidator, type ConsolidationResult } from "./consolidate/portfolio-consolidator.ts";
import { ENV } from "./shared/env-names.ts";
import { requireEnv } from "./shared/env.ts";
import { logForOrder, logger } from "./shared/logger.ts";
import { consolidationPayloadSchema } from "./shared/messages.ts";
import { tracer } from "./shared/telemetry.ts";

const transactionsTable = requireEnv(ENV.TRANSACTIONS_TABLE);
const consolidator = new PortfolioConsolidator({
  users: new DynamoUserStore(requireEnv(ENV.USERS_TABLE)),
  quotes: new DynamoQuoteStore(requireEnv(ENV.QUOTES_TABLE)),
  orders: new DynamoOrderStore(transactionsTable),
  attention: new DynamoAttentionList(transactionsTable),
  events: new SnsOrderEventPublisher(requireEnv(ENV.ORDER_EVENTS_TOPIC_ARN)),
});

export class InvalidOutcomeError extends Error {
  override readonly name = "InvalidOutcomeError";
}

/**
 * Invoked asynchronously with the order outcomes of one process-order batch (or again by
 * the reconciler). The work is PortfolioConsolidator's; a failure throws, so Lambda retries.
 */
const lambdaHandler = async (event: unknown): Promise<ConsolidationResult | undefined> => {
  logForOrder({});
  const parsed = consolidationPayloadSchema.safeParse(event);
  if (!parsed.success) {
    logger.error("invalid consolidation payload", { issues: parsed.error.issues });
    throw new InvalidOutcomeError("consolidation payload is neither an order outcome nor a list of them");
  }
  return consolidator.consolidate(parsed.data);
};

export const handler = middy(lambdaHandler).use(captureLambdaHandler(tracer));
