import { z } from "zod";
import { listingOf } from "./tickers.ts";
import type { OrderRequest } from "./order.ts";

export const MAX_ORDER_QUANTITY = 1_000_000;

/** Why a request was refused before it became an order. */
export type RequestErrorCode = "VALIDATION_FAILED" | "INVALID_QUANTITY" | "INVALID_TICKER" | "FORBIDDEN";

export type RequestCheck =
  | { readonly ok: true; readonly request: OrderRequest }
  | { readonly ok: false; readonly code: RequestErrorCode; readonly message: string; readonly details: unknown };

/** The shape of the body: types, required fields, no unknown fields. Business limits come after. */
const orderBodySchema = z.strictObject({
  /** Optional: the order is always the caller's; naming another user is refused. */
  userId: z.string().min(1).max(64).optional(),
  ticker: z.string().min(1).max(16),
  quantity: z.number(),
  side: z.enum(["BUY", "SELL"]).default("BUY"),
});

/** Validates a parsed JSON body as an order request of the signed-in user `callerId`. */
export function checkOrderRequest(body: unknown, callerId: string): RequestCheck {
  const parsed = orderBodySchema.safeParse(body);
  if (!parsed.success) {
    return { ok: false, code: "VALIDATION_FAILED", message: "The order request is not valid.", details: parsed.error.issues };
  }
  const { userId = callerId, ticker, quantity, side } = parsed.data;
  if (userId !== callerId) {
    return { ok: false, code: "FORBIDDEN", message: "You can place orders only for your own account.", details: { userId } };
  }
  if (!Number.isSafeInteger(quantity) || quantity <= 0 || quantity > MAX_ORDER_QUANTITY) {
    return {
      ok: false,
      code: "INVALID_QUANTITY",
      message: `quantity must be a whole number from 1 to ${MAX_ORDER_QUANTITY}.`,
      details: { quantity },
    };
  }
  const listing = listingOf(ticker);
  if (!listing) {
    return {
      ok: false,
      code: "INVALID_TICKER",
      message: "ticker must look like a B3 ticker (PETR4, BOVA11) or a US ticker (AAPL).",
      details: { ticker },
    };
  }
  return { ok: true, request: { userId, ticker: listing.ticker, quantity, side } };
}
