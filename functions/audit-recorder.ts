import middy from "@middy/core";
import { DynamoAuditTrail } from "../adapters/dynamo-audit-trail.ts";
import { ENV } from "./shared/env-names.ts";
import { requireEnv } from "./shared/env.ts";
import { logger } from "./shared/logger.ts";
import { orderEventConsumer } from "./shared/order-event-batch.ts";

const trail = new DynamoAuditTrail(requireEnv(ENV.AUDIT_TABLE));

/** Keeps every order event from the audit queue, append-only; a redelivered event is written once. */
const lambdaHandler = orderEventConsumer(async (event) => {
  const appended = await trail.append(event, new Date().toISOString());
  logger.info(appended ? "order event audited" : "order event was audited already", { eventId: event.eventId, type: event.type });
});

export const handler = middy(lambdaHandler);
