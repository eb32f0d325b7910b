import { renderEmail } from "../../domain/notification.ts";
import type { FieldCipher } from "../../adapters/identity-ports.ts";
import { logger } from "../shared/logger.ts";
import { notificationConsumer } from "../shared/notification-batch.ts";

/** Where a rendered e-mail goes; the default is the simulation's structured log line. */
export type Mailer = (mail: { to: string; subject: string; text: string }) => void | Promise<void>;

/**
 * Decrypts the recipient's address (bound to the order's user) and hands the e-mail
 * to the mailer. The address appears in no log line: it is personal data.
 */
export function emailDelivery(cipher: FieldCipher, mailer: Mailer = () => {}) {
  return notificationConsumer(async (notification) => {
    const { subject, text } = renderEmail(notification);
    if (!notification.encryptedEmail) {
      logger.warn("no e-mail address on file; nothing sent", { status: notification.status });
      return;
    }
    const to = await cipher.decrypt(notification.encryptedEmail, { purpose: "personal-data", userId: notification.userId });
    await mailer({ to, subject, text });
    logger.info("email delivered", { subject, text, status: notification.status });
  });
}
