import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { checkOrderRequest } from "../domain/order-request.ts";
import { newOrder, type Order } from "../domain/order.ts";
import { listingOf } from "../domain/tickers.ts";
import { DynamoOrderStore } from "../adapters/dynamo-order-store.ts";
import { SqsOrderQueue } from "../adapters/sqs-order-queue.ts";
import { callerOf } from "./shared/caller.ts";
import { correlationIdOf } from "./shared/correlation.ts";
import { ENV } from "./shared/env-names.ts";
import { requireEnv } from "./shared/env.ts";
import { HttpError, httpErrors, jsonResponse } from "./shared/http.ts";
import { logForOrder, logger } from "./shared/logger.ts";
import { idempotencyKeyOf, jsonBodyOf, requestHash, requireJsonContentType } from "./shared/request-body.ts";
import { metricsOf } from "./shared/order-metrics.ts";
import { metrics, tracer } from "./shared/telemetry.ts";

// accept() checks the user exists in the same transaction that records the order.
const orders = new DynamoOrderStore(requireEnv(ENV.TRANSACTIONS_TABLE), { usersTableName: requireEnv(ENV.USERS_TABLE) });
const queue = new SqsOrderQueue(requireEnv(ENV.ORDERS_QUEUE_URL));
const orderMetrics = metricsOf(metrics);

const accepted = (orderId: string) => jsonResponse(202, { orderId, status: "ACCEPTED" }, { location: `/orders/${orderId}` });

/**
 * POST /orders: check the order (always the caller's own), record it as ACCEPTED, queue it,
 * answer 202. Its `accepted` event is published with its final one, by consolidation.
 */
const lambdaHandler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const correlationId = correlationIdOf(event);
  logForOrder({ correlationId });
  const callerId = callerOf(event);
  requireJsonContentType(event);
  const check = checkOrderRequest(jsonBodyOf(event), callerId);
  if (!check.ok) throw new HttpError(check.code === "FORBIDDEN" ? 403 : 400, check.code, check.message, check.details);
  const { request } = check;
  const key = idempotencyKeyOf(event);
  const listing = listingOf(request.ticker);
  if (!listing) throw new HttpError(400, "INVALID_TICKER", "ticker is not well formed.");
  const order = newOrder(request, listing.currency, { orderId: randomUUID(), correlationId, now: new Date().toISOString() });
  const result = await orders.accept({ order, ...(key ? { idempotency: { key, requestHash: requestHash(request) } } : {}) });
  if (result.kind === "USER_NOT_FOUND") throw new HttpError(404, "USER_NOT_FOUND", `User ${request.userId} does not exist.`);
  if (result.kind === "KEY_REUSED") {
    throw new HttpError(422, "IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was used with a different request.");
  }
  logForOrder({ orderId: result.order.orderId, correlationId: result.order.correlationId, userId: request.userId });
  if (result.kind === "REPLAYED") {
    logger.info("idempotent replay", { status: result.order.status });
    // The first attempt may have died between recording and queueing the order: queue it
    // again. FIFO de-duplication (by order id) and process-order's idempotency make this safe.
    if (result.order.status === "ACCEPTED") {
      await queue.enqueue({ orderId: result.order.orderId, userId: result.order.userId, correlationId: result.order.correlationId });
    }
    return accepted(result.order.orderId);
  }

  try {
    await queue.enqueue({ orderId: order.orderId, userId: order.userId, correlationId });
  } catch (error) {
    logger.error("enqueue failed", error instanceof Error ? error : String(error));
    await orders.reject(order, "ENQUEUE_FAILED", new Date().toISOString(), { withoutNotification: true, ...(key ? { releaseIdempotencyKey: key } : {}) });
    orderMetrics.rejected(order, "ENQUEUE_FAILED");
    throw new HttpError(503, "ENQUEUE_FAILED", "The order could not be queued; it was not placed. Please retry.");
  }
  logger.info("order accepted", { ticker: order.ticker, side: order.side, quantity: order.quantity });
  orderMetrics.accepted(order);
  return accepted(order.orderId);
};

export const handler = middy(lambdaHandler).use(captureLambdaHandler(tracer)).use(logMetrics(metrics)).use(httpErrors());
