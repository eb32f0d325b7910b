import { formatCents, formatPrice, type Currency } from "./money.ts";
import type { Order, OrderSide, RejectionReason } from "./order.ts";

/** What happened to an order, as consolidation and the notifications see it. Money as API decimal strings. */
export interface OrderOutcome {
  readonly orderId: string;
  readonly userId: string;
  readonly correlationId: string;
  readonly ticker: string;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly currency: Currency;
  readonly status: "FILLED" | "REJECTED";
  readonly reason?: RejectionReason;
  readonly price?: string;
  readonly amount?: string;
  readonly quoteSource?: string;
  /** When the order was filled or rejected (absent in payloads of earlier versions). */
  readonly decidedAt?: string;
  /** Shares of the ticker held right after a fill, when the filler knew them. */
  readonly positionAfter?: number;
}

/** An outcome addressed to a person, with the portfolio value after it. */
export interface Notification extends OrderOutcome {
  readonly name: string;
  /** Decrypted only by the e-mail sender. */
  readonly encryptedEmail?: string;
  readonly portfolioValue: Readonly<Record<Currency, string>>;
  readonly valuedAt: string;
}

export function outcomeOf(order: Order): OrderOutcome {
  if (order.status === "ACCEPTED") throw new Error(`order ${order.orderId} has no outcome yet`);
  const { orderId, userId, correlationId, ticker, side, quantity, currency, status, reason, fill } = order;
  return {
    orderId, userId, correlationId, ticker, side, quantity, currency, status,
    decidedAt: fill?.executedAt ?? order.updatedAt,
    ...(reason ? { reason } : {}),
    ...(fill ? { price: formatPrice(fill.price), amount: formatCents(fill.amount), quoteSource: fill.quoteSource } : {}),
  };
}

const REASON_TEXT: Readonly<Record<RejectionReason, string>> = {
  INSUFFICIENT_FUNDS: "not enough cash",
  INSUFFICIENT_SHARES: "not enough shares",
  UNKNOWN_TICKER: "the ticker is not traded here",
  INVALID_ORDER: "the order is not valid",
  USER_NOT_FOUND: "the account does not exist",
  ENQUEUE_FAILED: "the order could not be queued",
};

function headline(n: OrderOutcome): string {
  const verb = n.side === "BUY" ? "Bought" : "Sold";
  if (n.status === "FILLED") return `${verb} ${n.quantity} ${n.ticker} at ${n.currency} ${n.price ?? "?"} (total ${n.currency} ${n.amount ?? "?"})`;
  const reason = n.reason ? REASON_TEXT[n.reason] : "unknown reason";
  return `Your order to ${n.side.toLowerCase()} ${n.quantity} ${n.ticker} was rejected: ${reason}`;
}

function portfolioLine(n: Notification): string {
  return `Portfolio value: BRL ${n.portfolioValue.BRL}, USD ${n.portfolioValue.USD}`;
}

export function renderPush(n: Notification): { title: string; body: string } {
  return { title: n.status === "FILLED" ? "Order filled" : "Order rejected", body: `${headline(n)}. ${portfolioLine(n)}.` };
}

export function renderEmail(n: Notification): { subject: string; text: string } {
  const subject = `${n.status === "FILLED" ? "Order filled" : "Order rejected"}: ${n.side} ${n.quantity} ${n.ticker}`;
  const text = [`Hello ${n.name},`, "", `${headline(n)}.`, `${portfolioLine(n)} (as of ${n.valuedAt}).`, "", `Order ${n.orderId}`].join("\n");
  return { subject, text };
}
