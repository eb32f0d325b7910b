/**
 * The compliance alert's contract, written once: the adapter that raises it and the
 * function that receives it both use this schema, source and detail type.
 */
import { z } from "zod";

export const LARGE_ORDER_SOURCE = "brokerage.orders";
export const LARGE_ORDER_DETAIL_TYPE = "LargeOrderExecuted";

const decimalAmount = z.string().regex(/^\d+\.\d{2}$/, "a decimal amount with two places");

/** The event's detail. Money as decimal strings, as the API shows it. */
export const largeOrderDetailSchema = z.object({
  orderId: z.string().min(1),
  userId: z.string().min(1),
  correlationId: z.string().min(1),
  ticker: z.string().min(1),
  side: z.enum(["BUY", "SELL"]),
  quantity: z.number().int().positive(),
  currency: z.enum(["BRL", "USD"]),
  amount: decimalAmount,
  threshold: decimalAmount,
  executedAt: z.iso.datetime({ offset: true }),
});

export type LargeOrderDetail = z.infer<typeof largeOrderDetailSchema>;

/** The whole EventBridge event as a rule target receives it; other envelope fields are ignored. */
export const largeOrderEventSchema = z.object({
  id: z.string().min(1),
  source: z.literal(LARGE_ORDER_SOURCE),
  "detail-type": z.literal(LARGE_ORDER_DETAIL_TYPE),
  time: z.string(),
  detail: largeOrderDetailSchema,
});

export type LargeOrderEvent = z.infer<typeof largeOrderEventSchema>;
