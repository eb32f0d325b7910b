import middy from "@middy/core";
import { renderEmail } from "../domain/notification.ts";
import { logger } from "./shared/logger.ts";
import { notificationConsumer } from "./shared/notification-batch.ts";

/** E-mail delivery is simulated: the rendered e-mail is one structured log line. */
const lambdaHandler = notificationConsumer((notification) => {
  const { subject, text } = renderEmail(notification);
  logger.info("email delivered", { to: notification.email, subject, text, status: notification.status });
});

export const handler = middy(lambdaHandler);
