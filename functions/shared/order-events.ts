/**
 * The events of an order's life as the OrderEvents topic carries them: one message per
 * change of state, its body the JSON of `orderEventSchema`. Final events also carry what
 * the push and e-mail senders need, so those parse the same body as a notification.
 */
import { z } from "zod";
import type { Notification } from "../../domain/notification.ts";
import type { Order } from "../../domain/order.ts";
import { orderOutcomeSchema } from "./messages.ts";

export const ORDER_EVENT_TYPES = ["accepted", "filled", "rejected"] as const;
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];
/** The states after which nothing more happens to an order. */
export const FINAL_EVENT_TYPES: readonly OrderEventType[] = ["filled", "rejected"];

const orderFields = orderOutcomeSchema.pick({ orderId: true, userId: true, correlationId: true, ticker: true, side: true, quantity: true, currency: true });
const eventFields = orderFields.extend({
  /** `<orderId>:<type>`: the same event published twice has the same id. */
  eventId: z.string().min(1),
  occurredAt: z.string().min(1),
});
const notificationFields = {
  name: z.string(),
  encryptedEmail: z.string().optional(),
  portfolioValue: z.object({ BRL: z.string(), USD: z.string() }),
  valuedAt: z.string(),
};

export const acceptedEventSchema = eventFields.extend({ type: z.literal("accepted"), status: z.literal("ACCEPTED") });
export const filledEventSchema = eventFields.extend({
  type: z.literal("filled"),
  status: z.literal("FILLED"),
  price: z.string(),
  amount: z.string(),
  quoteSource: z.string().optional(),
  /** Shares of the ticker held after this trade. */
  positionAfter: z.number().int().nonnegative(),
  ...notificationFields,
});
export const rejectedEventSchema = eventFields.extend({
  type: z.literal("rejected"),
  status: z.literal("REJECTED"),
  reason: orderOutcomeSchema.shape.reason.unwrap(),
  ...notificationFields,
});

export const orderEventSchema = z.discriminatedUnion("type", [acceptedEventSchema, filledEventSchema, rejectedEventSchema]);
export type OrderEvent = z.infer<typeof orderEventSchema>;
export type AcceptedEvent = z.infer<typeof acceptedEventSchema>;
export type FilledEvent = z.infer<typeof filledEventSchema>;
export type FinalEvent = z.infer<typeof filledEventSchema> | z.infer<typeof rejectedEventSchema>;

export const eventIdOf = (orderId: string, type: OrderEventType): string => `${orderId}:${type}`;

/** The event of a freshly accepted order. */
export function acceptedEvent(order: Order): AcceptedEvent {
  const { orderId, userId, correlationId, ticker, side, quantity, currency } = order;
  return { eventId: eventIdOf(orderId, "accepted"), type: "accepted", status: "ACCEPTED", occurredAt: order.createdAt, orderId, userId, correlationId, ticker, side, quantity, currency };
}

/**
 * The final event of a notified outcome. `positionAfter` is the outcome's own when the
 * filler knew it, else `fallbackPosition` (the position as consolidation read it).
 */
export function finalEvent(notification: Notification, fallbackPosition: number, fallbackAt: string): FinalEvent {
  const { orderId, userId, correlationId, ticker, side, quantity, currency, name, encryptedEmail, portfolioValue, valuedAt } = notification;
  const common = {
    orderId, userId, correlationId, ticker, side, quantity, currency, name, portfolioValue, valuedAt,
    ...(encryptedEmail ? { encryptedEmail } : {}),
    occurredAt: notification.decidedAt ?? fallbackAt,
  };
  if (notification.status === "FILLED") {
    if (notification.price === undefined || notification.amount === undefined) throw new Error(`filled order ${orderId} has no price or amount`);
    return {
      ...common,
      eventId: eventIdOf(orderId, "filled"),
      type: "filled",
      status: "FILLED",
      price: notification.price,
      amount: notification.amount,
      ...(notification.quoteSource ? { quoteSource: notification.quoteSource } : {}),
      positionAfter: notification.positionAfter ?? fallbackPosition,
    };
  }
  return { ...common, eventId: eventIdOf(orderId, "rejected"), type: "rejected", status: "REJECTED", reason: notification.reason ?? "INVALID_ORDER" };
}

/** The message attributes subscribers filter on; `notional` (decimal units) only once a price is known. */
export function eventAttributes(event: OrderEvent): Record<string, { DataType: "String" | "Number"; StringValue: string }> {
  const text = (value: string) => ({ DataType: "String" as const, StringValue: value });
  return {
    type: text(event.type),
    userId: text(event.userId),
    ticker: text(event.ticker),
    side: text(event.side),
    currency: text(event.currency),
    ...(event.type === "filled" ? { notional: { DataType: "Number" as const, StringValue: event.amount } } : {}),
  };
}
