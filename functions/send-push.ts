import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import { renderPush } from "../domain/notification.ts";
import { logger } from "./shared/logger.ts";
import { notificationConsumer } from "./shared/notification-batch.ts";
import { tracer } from "./shared/telemetry.ts";

/** Push delivery is simulated: the rendered notification is one structured log line. */
const lambdaHandler = notificationConsumer((notification) => {
  const { title, body } = renderPush(notification);
  logger.info("push delivered", { title, body, status: notification.status });
});

export const handler = middy(lambdaHandler).use(captureLambdaHandler(tracer));
