import { largeOrderAlert, type ComplianceAlertSink, type ComplianceThresholds, type ExecutedOrder } from "../../domain/compliance.ts";
import { centsFromDecimal } from "../../domain/money.ts";
import type { AuditTrail } from "../../adapters/event-ports.ts";
import { logger } from "../shared/logger.ts";
import type { FilledEvent, OrderEvent } from "../shared/order-events.ts";
import type { ComplianceScreening } from "./compliance-from-env.ts";

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

/** The executed order a `filled` event describes. */
export function executedOrderOfEvent(event: FilledEvent): ExecutedOrder {
  const { orderId, userId, correlationId, ticker, side, quantity, currency, occurredAt } = event;
  return { orderId, userId, correlationId, ticker, side, quantity, currency, amount: centsFromDecimal(event.amount), executedAt: occurredAt };
}

/**
 * Screens a recorded `filled` event once: a redelivered event whose screening was done
 * raises nothing. The mark follows the alert, so a crash between the two raises it again
 * on the retry (at least once) rather than never.
 */
export async function screenRecordedEvent(event: OrderEvent, trail: Pick<AuditTrail, "wasScreened" | "markScreened">, screening: ComplianceScreening, at: string): Promise<boolean> {
  if (event.type !== "filled") return false;
  const order = executedOrderOfEvent(event);
  if (!largeOrderAlert(order, screening.thresholds)) return false;
  if (await trail.wasScreened(event)) return false;
  const raised = await screenExecutedOrder(order, screening.alerts, screening.thresholds);
  await trail.markScreened(event, at);
  return raised;
}
