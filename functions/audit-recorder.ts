import middy from "@middy/core";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import { DynamoAuditTrail } from "../adapters/dynamo-audit-trail.ts";
import { complianceScreeningFromEnv } from "./compliance/compliance-from-env.ts";
import { screenRecordedEvent } from "./compliance/screen-order.ts";
import { ENV } from "./shared/env-names.ts";
import { requireEnv } from "./shared/env.ts";
import { logger } from "./shared/logger.ts";
import { orderEventConsumer } from "./shared/order-event-batch.ts";
import { tracer } from "./shared/telemetry.ts";

const trail = new DynamoAuditTrail(requireEnv(ENV.AUDIT_TABLE));
const compliance = complianceScreeningFromEnv();

/**
 * Keeps every order event from the audit queue, append-only (a redelivered event is written
 * once), and screens each fill for compliance: a large one raises an alert.
 */
const lambdaHandler = orderEventConsumer(async (event) => {
  const now = new Date().toISOString();
  const appended = await trail.append(event, now);
  logger.info(appended ? "order event audited" : "order event was audited already", { eventId: event.eventId, type: event.type });
  await screenRecordedEvent(event, trail, compliance, now);
});

export const handler = middy(lambdaHandler).use(captureLambdaHandler(tracer));
