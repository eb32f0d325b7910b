import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import { largeOrderEventSchema } from "../domain/large-order-event.ts";
import { logForOrder, logger } from "./shared/logger.ts";
import { tracer } from "./shared/telemetry.ts";

/**
 * The compliance rule's Lambda target: one WARN line per large order, for the people who
 * watch the logs. A malformed event is logged and dropped: throwing would only make
 * EventBridge and Lambda retry an event that can never succeed.
 */
const lambdaHandler = async (event: unknown): Promise<void> => {
  logForOrder({});
  const parsed = largeOrderEventSchema.safeParse(event);
  if (!parsed.success) {
    const eventId = typeof event === "object" && event !== null && "id" in event ? String(event.id) : undefined;
    logger.error("malformed compliance event dropped", { eventId, problems: parsed.error.issues.map((issue) => `${issue.path.join(".") || "(event)"}: ${issue.message}`) });
    return;
  }
  const { id, detail } = parsed.data;
  logForOrder({ orderId: detail.orderId, correlationId: detail.correlationId, userId: detail.userId });
  logger.warn("COMPLIANCE ALERT: large order executed", {
    alert: "LargeOrderExecuted",
    eventId: id,
    ticker: detail.ticker,
    side: detail.side,
    quantity: detail.quantity,
    currency: detail.currency,
    amount: detail.amount,
    threshold: detail.threshold,
    executedAt: detail.executedAt,
  });
};

export const handler = middy(lambdaHandler).use(captureLambdaHandler(tracer));
