/**
 * The ports: what the handlers need from the outside world, in domain terms.
 * DynamoDB, SQS, Lambda and Yahoo implementations live beside this file.
 */
import type { Execution } from "../domain/execution.ts";
import type { Cents, Currency } from "../domain/money.ts";
import type { Fill, Order, OrderEvent, RejectionReason } from "../domain/order.ts";
import type { Notification, OrderOutcome } from "../domain/notification.ts";
import type { Quote } from "../domain/quote.ts";
import type { HeldPosition, PortfolioTotals } from "../domain/valuation.ts";

export interface UserProfile {
  readonly userId: string;
  readonly name: string;
  /** The e-mail, encrypted under the personal-data key (FieldCipher); absent for users created before encryption. */
  readonly encryptedEmail?: string;
  readonly cash: Readonly<Record<Currency, Cents>>;
  /** Bumped by every fill; orders valuations. */
  readonly tradeVersion: number;
  readonly valuation?: StoredValuation;
}

export interface StoredValuation {
  readonly totals: PortfolioTotals;
  readonly valuedAt: string;
  readonly tradeVersion: number;
}

export interface UserAccount {
  readonly profile: UserProfile;
  readonly positions: readonly HeldPosition[];
}

export interface UserStore {
  getProfile(userId: string): Promise<UserProfile | undefined>;
  /** Profile and positions in one read. */
  getAccount(userId: string): Promise<UserAccount | undefined>;
  /** Stores a valuation unless a newer one is there; returns false when it was stale. */
  saveValuation(userId: string, valuation: StoredValuation): Promise<boolean>;
}

export interface AcceptOrderInput {
  readonly order: Order;
  readonly idempotency?: { readonly key: string; readonly requestHash: string };
}

export type AcceptOrderResult =
  | { readonly kind: "CREATED"; readonly order: Order }
  | { readonly kind: "REPLAYED"; readonly order: Order }
  | { readonly kind: "KEY_REUSED" }
  /** The order's user does not exist: nothing was written. */
  | { readonly kind: "USER_NOT_FOUND" };

export interface OrderPage {
  readonly orders: readonly Order[];
  readonly nextToken?: string;
}

export interface RejectOptions {
  /** Frees this idempotency key, so the client's retry places a new order. */
  readonly releaseIdempotencyKey?: string;
  /** The client was told at once (not with a 202): nobody is to be notified, nothing to reconcile. */
  readonly withoutNotification?: boolean;
}

export interface OrderStore {
  accept(input: AcceptOrderInput): Promise<AcceptOrderResult>;
  get(orderId: string): Promise<Order | undefined>;
  /** Several orders in as few reads as the table allows (strongly consistent); missing ones are left out. */
  getMany(orderIds: readonly string[]): Promise<Map<string, Order>>;
  history(orderId: string): Promise<OrderEvent[]>;
  /** Marks an ACCEPTED order rejected; false when it was already final. */
  reject(order: Order, reason: RejectionReason, at: string, options?: RejectOptions): Promise<boolean>;
  /** Newest first; throws InvalidPageTokenError for a token it did not make. */
  listByUser(userId: string, limit: number, nextToken?: string): Promise<OrderPage>;
}

/**
 * Orders that may have been left behind by a crash: accepted but never processed,
 * or final but never notified. Every method is conditional, so repeating it is harmless.
 */
export interface AttentionList {
  /** Orders still listed for attention that were created before the instant, oldest first. */
  needingAttention(createdBefore: string, limit: number): Promise<Order[]>;
  /** Counts a re-queue of a still ACCEPTED order; false when it is no longer ACCEPTED. */
  markRequeued(orderId: string, at: string): Promise<boolean>;
  /** Takes a still ACCEPTED order off the list and onto the stuck list; false when it moved on. */
  markStuck(orderId: string): Promise<boolean>;
  /** Records that a final order's notifications are queued and takes it off the list; false if already done. */
  markNotified(orderId: string, at: string): Promise<boolean>;
}

export type FillOutcome =
  | { readonly kind: "FILLED" }
  | { readonly kind: "ALREADY_FINAL" }
  | { readonly kind: "REJECTED"; readonly reason: "INSUFFICIENT_FUNDS" | "INSUFFICIENT_SHARES" };

/** Writes a fill atomically across the transactions and users tables. */
export interface TradeLedger {
  recordFill(order: Order, execution: Execution, fill: Fill): Promise<FillOutcome>;
}

export interface QuoteStore {
  latest(ticker: string): Promise<Quote | undefined>;
  latestMany(tickers: readonly string[]): Promise<Map<string, Quote>>;
  /** Keeps the newest quote as LATEST and appends it to the history. */
  record(quote: Quote): Promise<void>;
  /** Makes the quote LATEST unless a newer one is there. */
  recordLatest(quote: Quote): Promise<void>;
  /** Appends quotes to the history, in as few requests as the table allows. */
  recordHistory(quotes: readonly Quote[]): Promise<void>;
}

/** What the caller of a price source can ask of one call. */
export interface QuoteOptions {
  /**
   * Give up after this long even if the source would wait longer: the caller's time runs out
   * first. A call cut short this way throws PriceDeadlineError (unless a fallback answers).
   */
  readonly timeoutMs?: number;
}

export interface PriceSource {
  /** Throws UnknownTickerError (permanent) or PriceUnavailableError (transient). */
  quote(ticker: string, options?: QuoteOptions): Promise<Quote>;
}

export interface OrderMessage {
  readonly orderId: string;
  readonly userId: string;
  readonly correlationId: string;
}

export interface OrderQueue {
  enqueue(message: OrderMessage): Promise<void>;
}

/** Pushes a received message's next delivery back (a retry with backoff). */
export interface RetryDelay {
  delay(receiptHandle: string, seconds: number): Promise<void>;
}

/**
 * What consolidation needs of a user, as process-order's batch left the account after its
 * fills; handed on so consolidation need not read the account again.
 */
export interface AccountSnapshot {
  readonly name: string;
  readonly encryptedEmail?: string;
  readonly tradeVersion: number;
  readonly positions: readonly HeldPosition[];
}

/** The part of an account consolidation uses. */
export function accountSnapshotOf({ profile, positions }: UserAccount): AccountSnapshot {
  return { name: profile.name, ...(profile.encryptedEmail ? { encryptedEmail: profile.encryptedEmail } : {}), tradeVersion: profile.tradeVersion, positions };
}

export interface ConsolidationTrigger {
  /** Starts one consolidation for these outcomes (at least one, of any users), with the accounts known (by user id). */
  trigger(outcomes: readonly OrderOutcome[], accounts?: Readonly<Record<string, AccountSnapshot>>): Promise<void>;
}

export class InvalidPageTokenError extends Error {
  override readonly name = "InvalidPageTokenError";
}

/** The price could not be had now; the caller should retry later. */
export class PriceUnavailableError extends Error {
  override readonly name: string = "PriceUnavailableError";
}

/** No price within the time the caller allowed; says nothing about the source's health. */
export class PriceDeadlineError extends PriceUnavailableError {
  override readonly name = "PriceDeadlineError";
}

export type { Notification, OrderOutcome };
