/**
 * The ports of the order-event flow: publishing an order's events, keeping them as its
 * audit trail, and the daily statement's lines. Implementations live beside this file.
 */
import type { Currency } from "../domain/money.ts";
import type { OrderSide } from "../domain/order.ts";
import type { OrderEvent } from "../functions/shared/order-events.ts";

export interface OrderEventPublisher {
  /** Publishes each event once; returns the ids of the events that could not be published. */
  publishAll(events: readonly OrderEvent[]): Promise<string[]>;
}

export interface AuditTrail {
  /** Appends the event unless one with its id is there; false for a repeat. */
  append(event: OrderEvent, recordedAt: string): Promise<boolean>;
  /** An order's events, oldest first. */
  eventsOf(orderId: string): Promise<OrderEvent[]>;
}

/** One filled order as the daily statement counts it. Money as API decimal strings. */
export interface StatementLine {
  readonly userId: string;
  /** The UTC day of the fill, YYYY-MM-DD. */
  readonly day: string;
  readonly orderId: string;
  readonly executedAt: string;
  readonly ticker: string;
  readonly currency: Currency;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly price: string;
  readonly amount: string;
  /** Shares of the ticker held after this trade. */
  readonly positionAfter: number;
}

export interface StatementBook {
  /** Adds the line unless the order has one already; false for a repeat. */
  add(line: StatementLine): Promise<boolean>;
  /** A user's lines of one day, in the order they were executed. */
  linesOf(userId: string, day: string): Promise<StatementLine[]>;
}
