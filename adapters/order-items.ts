/** Converts orders and their events to and from transactions-table items. */
import { isCurrency } from "../domain/money.ts";
import type { Fill, Order, OrderEvent, OrderSide, OrderStatus, RejectionReason } from "../domain/order.ts";
import type { QuoteSource } from "../domain/quote.ts";
import { attentionIndexKey, orderEventKey, orderKey, userOrdersIndexKey } from "./keys.ts";

type Item = Record<string, unknown>;

export function orderToItem(order: Order): Item {
  return {
    ...orderKey(order.orderId),
    ...userOrdersIndexKey(order.userId, order.createdAt, order.orderId),
    ...(order.notifiedAt ? {} : attentionIndexKey(order.createdAt, order.orderId)),
    type: "ORDER",
    ...order,
  };
}

export function itemToOrder(item: Item): Order {
  const currency = item.currency;
  if (!isCurrency(currency)) throw new Error(`order item ${String(item.pk)} has no valid currency`);
  const fill = item.fill as Fill | undefined;
  return {
    orderId: String(item.orderId),
    userId: String(item.userId),
    ticker: String(item.ticker),
    side: item.side as OrderSide,
    quantity: Number(item.quantity),
    currency,
    status: item.status as OrderStatus,
    correlationId: String(item.correlationId),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    ...(item.reason ? { reason: item.reason as RejectionReason } : {}),
    ...(fill ? { fill: { ...fill, quoteSource: fill.quoteSource as QuoteSource } } : {}),
    ...(typeof item.notifiedAt === "string" ? { notifiedAt: item.notifiedAt } : {}),
    ...(typeof item.requeueCount === "number" ? { requeueCount: item.requeueCount } : {}),
    ...(typeof item.requeuedAt === "string" ? { requeuedAt: item.requeuedAt } : {}),
  };
}

export function eventToItem(orderId: string, sequence: number, event: OrderEvent): Item {
  return { ...orderEventKey(orderId, sequence), type: "ORDER_EVENT", orderId, ...event };
}

export function itemToEvent(item: Item): OrderEvent {
  return {
    status: item.status as OrderStatus,
    at: String(item.at),
    ...(item.reason ? { reason: item.reason as RejectionReason } : {}),
    ...(typeof item.price === "number" ? { price: item.price } : {}),
    ...(typeof item.amount === "number" ? { amount: item.amount } : {}),
  };
}
