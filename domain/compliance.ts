/**
 * The large-order rule: an executed order whose notional (the fill's amount, in the
 * order's currency) is strictly greater than its currency's threshold is reported to
 * compliance. Thresholds are integer cents per currency, like every amount (money.ts).
 */
import { centsFromDecimal, formatCents, MoneyFormatError, type Cents, type Currency } from "./money.ts";
import type { LargeOrderDetail } from "./large-order-event.ts";
import type { Order, OrderSide } from "./order.ts";

export type ComplianceThresholds = Readonly<Record<Currency, Cents>>;

/** The figure the regulator's rule names: 100,000.00 BRL. */
export const DEFAULT_BRL_THRESHOLD = "100000.00";
/**
 * The USD figure is a setting, not a conversion: a threshold that moved with the exchange
 * rate would make the same order large on one day and not the next. 20,000.00 USD is
 * 100,000.00 BRL at 5.00 BRL per dollar, a round figure a little below today's rate, so
 * a USD order is never screened more leniently than a BRL one of the same size.
 */
export const DEFAULT_USD_THRESHOLD = "20000.00";

export class InvalidThresholdError extends Error {
  override readonly name = "InvalidThresholdError";
}

/** A threshold as a decimal string ("100000.00"), which must be a positive amount of whole cents. */
export function parseThreshold(currency: Currency, text: string): Cents {
  let cents: Cents;
  try {
    cents = centsFromDecimal(text);
  } catch (error) {
    if (error instanceof MoneyFormatError) throw new InvalidThresholdError(`the ${currency} threshold must be a decimal amount such as "20000.00", got "${text}"`);
    throw error;
  }
  if (cents <= 0) throw new InvalidThresholdError(`the ${currency} threshold must be greater than 0, got "${text}"`);
  return cents;
}

/** Both thresholds from their decimal settings; an omitted one takes its default. */
export function complianceThresholds(settings: { readonly BRL?: string; readonly USD?: string } = {}): ComplianceThresholds {
  return {
    BRL: parseThreshold("BRL", settings.BRL ?? DEFAULT_BRL_THRESHOLD),
    USD: parseThreshold("USD", settings.USD ?? DEFAULT_USD_THRESHOLD),
  };
}

/** Strictly greater: an order of exactly the threshold is not large. */
export function exceedsThreshold(amount: Cents, currency: Currency, thresholds: ComplianceThresholds): boolean {
  return amount > thresholds[currency];
}

/** What screening needs of an executed order; the notional is in the order's own currency. */
export interface ExecutedOrder {
  readonly orderId: string;
  readonly userId: string;
  readonly correlationId: string;
  readonly ticker: string;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly currency: Currency;
  readonly amount: Cents;
  readonly executedAt: string;
}

/** A filled order as screening sees it; undefined for an order that did not fill. */
export function executedOrderOf(order: Order): ExecutedOrder | undefined {
  if (order.status !== "FILLED" || !order.fill) return undefined;
  const { orderId, userId, correlationId, ticker, side, quantity } = order;
  const { currency, amount, executedAt } = order.fill;
  return { orderId, userId, correlationId, ticker, side, quantity, currency, amount, executedAt };
}

/** The alert to raise for this order, or undefined when it is within its threshold. */
export function largeOrderAlert(order: ExecutedOrder, thresholds: ComplianceThresholds): LargeOrderDetail | undefined {
  if (!exceedsThreshold(order.amount, order.currency, thresholds)) return undefined;
  const { orderId, userId, correlationId, ticker, side, quantity, currency, executedAt } = order;
  return {
    orderId, userId, correlationId, ticker, side, quantity, currency,
    amount: formatCents(order.amount),
    threshold: formatCents(thresholds[currency]),
    executedAt,
  };
}

/** Where alerts go (EventBridge in the stack); raising throws when the alert was not accepted. */
export interface ComplianceAlertSink {
  raise(alert: LargeOrderDetail): Promise<void>;
}
