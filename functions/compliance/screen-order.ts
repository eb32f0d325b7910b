import { largeOrderAlert, type ComplianceAlertSink, type ComplianceThresholds, type ExecutedOrder } from "../../domain/compliance.ts";
import { logger } from "../shared/logger.ts";

/**
 * Raises a compliance alert when an executed order's notional exceeds its currency's
 * threshold; true when one was raised. A failure to raise throws, so the caller's
 * record is retried: raising is at least once, and the alert's receivers key on orderId.
 */
export async function screenExecutedOrder(order: ExecutedOrder, alerts: ComplianceAlertSink, thresholds: ComplianceThresholds): Promise<boolean> {
  const alert = largeOrderAlert(order, thresholds);
  if (!alert) return false;
  await alerts.raise(alert);
  logger.info("compliance alert raised", { orderId: alert.orderId, currency: alert.currency, amount: alert.amount, threshold: alert.threshold });
  return true;
}
