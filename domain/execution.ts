import { multiplyToCents, type Cents } from "./money.ts";
import { proportionOfCents } from "./money.ts";
import type { OrderRequest, RejectionReason } from "./order.ts";
import type { Quote } from "./quote.ts";

/** A holding of one ticker: how many shares and what they cost in total. */
export interface Position {
  readonly ticker: string;
  readonly quantity: number;
  readonly costBasis: Cents;
}

/** What the account looks like for the order's currency and ticker. */
export interface AccountSnapshot {
  readonly cash: Cents;
  readonly position?: Position;
}

/** The effect of a fill on the account, ready to be written atomically. */
export interface Execution {
  readonly kind: "FILL";
  readonly amount: Cents;
  /** Signed change of cash: negative for a buy. */
  readonly cashDelta: Cents;
  /** Signed change of shares. */
  readonly quantityDelta: number;
  /** Signed change of the position's cost basis (average-cost method). */
  readonly costBasisDelta: Cents;
}

export interface Rejection {
  readonly kind: "REJECT";
  readonly reason: RejectionReason;
  readonly message: string;
}

/**
 * Decides whether an order fills at a quote. BUY needs cash ≥ quantity × price;
 * SELL needs at least `quantity` shares. A sale removes the sold share of the
 * cost basis (average cost), so the average cost of what is left is unchanged.
 */
export function executeOrder(order: OrderRequest, quote: Quote, account: AccountSnapshot): Execution | Rejection {
  if (quote.ticker !== order.ticker) {
    return { kind: "REJECT", reason: "INVALID_ORDER", message: `quote is for ${quote.ticker}, not ${order.ticker}` };
  }
  const amount = multiplyToCents(order.quantity, quote.price);
  if (order.side === "BUY") {
    if (account.cash < amount) {
      return { kind: "REJECT", reason: "INSUFFICIENT_FUNDS", message: `needs ${amount} cents, has ${account.cash}` };
    }
    return { kind: "FILL", amount, cashDelta: -amount, quantityDelta: order.quantity, costBasisDelta: amount };
  }
  const held = account.position?.quantity ?? 0;
  if (held < order.quantity) {
    return { kind: "REJECT", reason: "INSUFFICIENT_SHARES", message: `needs ${order.quantity} shares, holds ${held}` };
  }
  const costBasis = account.position?.costBasis ?? 0;
  const removedCost = held === order.quantity ? costBasis : proportionOfCents(costBasis, order.quantity, held);
  return { kind: "FILL", amount, cashDelta: amount, quantityDelta: -order.quantity, costBasisDelta: -removedCost };
}
