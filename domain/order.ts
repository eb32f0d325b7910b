import type { Cents, Currency, PriceUnits } from "./money.ts";
import type { QuoteSource } from "./quote.ts";

export type OrderSide = "BUY" | "SELL";
export type OrderStatus = "ACCEPTED" | "FILLED" | "REJECTED";

/** Why an order did not fill. Stable codes: clients and logs rely on them. */
export type RejectionReason =
  | "INSUFFICIENT_FUNDS"
  | "INSUFFICIENT_SHARES"
  | "UNKNOWN_TICKER"
  | "INVALID_ORDER"
  | "USER_NOT_FOUND"
  | "ENQUEUE_FAILED";

/** What the client asked for, once validated. */
export interface OrderRequest {
  readonly userId: string;
  readonly ticker: string;
  readonly quantity: number;
  readonly side: OrderSide;
}

/** The price and amount an order filled at. */
export interface Fill {
  readonly price: PriceUnits;
  readonly amount: Cents;
  readonly currency: Currency;
  readonly quoteSource: QuoteSource;
  readonly quoteAsOf: string;
  readonly executedAt: string;
}

/** One step in an order's life, kept as its audit trail. */
export interface OrderEvent {
  readonly status: OrderStatus;
  readonly at: string;
  readonly reason?: RejectionReason;
  readonly price?: PriceUnits;
  readonly amount?: Cents;
}

export interface Order extends OrderRequest {
  readonly orderId: string;
  readonly currency: Currency;
  readonly status: OrderStatus;
  readonly correlationId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly reason?: RejectionReason;
  readonly fill?: Fill;
  /** When consolidation queued the fill's or rejection's notifications. */
  readonly notifiedAt?: string;
  /** How often the reconciler put the order back on the queue, and when it last did. */
  readonly requeueCount?: number;
  readonly requeuedAt?: string;
}

export function isFinal(status: OrderStatus): boolean {
  return status !== "ACCEPTED";
}

/** A freshly accepted order; its currency follows the ticker's market. */
export function newOrder(request: OrderRequest, currency: Currency, ids: { orderId: string; correlationId: string; now: string }): Order {
  return { ...request, orderId: ids.orderId, correlationId: ids.correlationId, currency, status: "ACCEPTED", createdAt: ids.now, updatedAt: ids.now };
}
