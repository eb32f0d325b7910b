import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { OrderOutcome } from "../../../domain/notification.ts";
import type { Order } from "../../../domain/order.ts";
import type { Quote } from "../../../domain/quote.ts";
import type { OrderEventPublisher } from "../../../adapters/event-ports.ts";
import type { AccountSnapshot, StoredValuation, UserAccount, UserProfile, UserStore } from "../../../adapters/ports.ts";
import { PortfolioConsolidator } from "../../../functions/consolidate/portfolio-consolidator.ts";
import type { OrderEvent } from "../../../functions/shared/order-events.ts";

const NOW = new Date("2026-12-02T15:00:00.000Z");

/** A user with 10 PETR4 (cost 400.00) and nothing else. */
function users(): UserStore & { saved: StoredValuation[] } {
  const profile: UserProfile = { userId: "1", name: "Ana", encryptedEmail: "sealed", cash: { BRL: 100_000, USD: 0 }, tradeVersion: 3 };
  const account: UserAccount = { profile, positions: [{ ticker: "PETR4", currency: "BRL", quantity: 10, costBasis: 40_000 }] };
  const saved: StoredValuation[] = [];
  return {
    saved,
    getProfile: async (userId) => (userId === "1" ? { ...profile, ...(saved.at(-1) ? { valuation: saved.at(-1) } : {}) } : undefined),
    getAccount: async (userId) => (userId === "1" ? account : undefined),
    saveValuation: async (_userId, valuation) => {
      saved.push(valuation);
      return true;
    },
  };
}

const quote: Quote = { ticker: "PETR4", price: 405_500, currency: "BRL", asOf: NOW.toISOString(), source: "simulated" };

const outcome = (orderId: string, overrides: Partial<OrderOutcome> = {}): OrderOutcome => ({
  orderId, userId: "1", correlationId: `c-${orderId}`, ticker: "PETR4", side: "BUY", quantity: 10, currency: "BRL",
  status: "FILLED", price: "40.55", amount: "405.50", quoteSource: "simulated", decidedAt: "2026-12-02T14:59:00.000Z", positionAfter: 10,
  ...overrides,
});

const ACCEPTED_AT = "2026-12-02T14:58:59.000Z";

/** The order's item as the transactions table holds it once decided. */
const orderItem = (orderId: string, notified: boolean) =>
  ({
    orderId, userId: "1", correlationId: `c-${orderId}`, ticker: "PETR4", side: "BUY", quantity: 10, currency: "BRL", status: "FILLED",
    createdAt: ACCEPTED_AT, updatedAt: "2026-12-02T14:59:00.000Z", ...(notified ? { notifiedAt: "earlier" } : {}),
  }) as Order;

/** A publisher that keeps what it published and fails the event ids it is told to. */
function publisher(failing: Set<string> = new Set()): OrderEventPublisher & { published: OrderEvent[] } {
  const published: OrderEvent[] = [];
  return {
    published,
    publishAll: async (events) => {
      published.push(...events.filter((e) => !failing.has(e.eventId)));
      return events.filter((e) => failing.has(e.eventId)).map((e) => e.eventId);
    },
  };
}

function consolidator(options: { failing?: Set<string>; notified?: string[] } = {}) {
  const events = publisher(options.failing);
  const marked: string[] = [];
  const store = users();
  const service = new PortfolioConsolidator({
    users: store,
    quotes: { latestMany: async () => new Map([["PETR4", quote]]) },
    orders: { getMany: async (ids) => new Map(ids.map((id) => [id, orderItem(id, options.notified?.includes(id) ?? false)])) },
    attention: {
      markNotified: async (orderId) => {
        marked.push(orderId);
        return true;
      },
    },
    events,
    clock: () => NOW,
  });
  return { service, events, marked, store };
}

describe("PortfolioConsolidator", () => {
  test("publishes each order's accepted event and its final event with the valuation, the notification fields and the position after the trade", async () => {
    const { service, events, marked, store } = consolidator();
    const result = await service.consolidate({ outcomes: [outcome("a"), outcome("b", { status: "REJECTED", reason: "INSUFFICIENT_FUNDS", price: undefined, amount: undefined, positionAfter: undefined })], accounts: {} });

    assert.equal(result?.notified, 2);
    assert.equal(store.saved.length, 1, "the user is valued once");
    assert.deepEqual(events.published.map((e) => e.eventId), ["a:accepted", "a:filled", "b:accepted", "b:rejected"]);
    const [accepted, filled, , rejected] = events.published;
    assert.equal(accepted?.type, "accepted");
    assert.equal(accepted?.occurredAt, ACCEPTED_AT, "when the order was accepted, not when it was consolidated");
    assert.equal(accepted?.correlationId, "c-a");
    assert.equal(filled?.type, "filled");
    assert.equal(filled?.eventId, "a:filled");
    assert.equal(filled?.occurredAt, "2026-12-02T14:59:00.000Z", "when the order was filled, not when it was consolidated");
    assert.ok(filled?.type === "filled");
    assert.equal(filled.positionAfter, 10);
    assert.deepEqual(filled.portfolioValue, { BRL: "405.50", USD: "0.00" });
    assert.equal(filled.encryptedEmail, "sealed");
    assert.equal(rejected?.type, "rejected");
    assert.ok(rejected?.type === "rejected");
    assert.equal(rejected.reason, "INSUFFICIENT_FUNDS");
    assert.deepEqual(marked.sort(), ["a", "b"]);
  });

  test("an order whose final event was not published is not marked notified, and the run throws so it is retried", async () => {
    const { service, events, marked } = consolidator({ failing: new Set(["b:filled"]) });
    await assert.rejects(service.consolidate({ outcomes: [outcome("a"), outcome("b")], accounts: {} }), { name: "EventsNotPublishedError", message: /1 of 2 orders.*b:filled/ });
    assert.deepEqual(events.published.map((e) => e.eventId), ["a:accepted", "a:filled", "b:accepted"]);
    assert.deepEqual(marked, ["a"], "b stays on the reconciler's list");
  });

  test("so is an order whose accepted event was not published, though its final event was", async () => {
    const { service, events, marked } = consolidator({ failing: new Set(["b:accepted"]) });
    await assert.rejects(service.consolidate({ outcomes: [outcome("a"), outcome("b")], accounts: {} }), { name: "EventsNotPublishedError", message: /1 of 2 orders.*b:accepted/ });
    assert.deepEqual(events.published.map((e) => e.eventId), ["a:accepted", "a:filled", "b:filled"]);
    assert.deepEqual(marked, ["a"], "the retry publishes both of b's events again; subscribers drop the repeat");
  });

  test("orders already notified are skipped; a request with nothing left does nothing", async () => {
    const { service, events } = consolidator({ notified: ["a"] });
    assert.equal(await service.consolidate({ outcomes: [outcome("a")], accounts: {} }), undefined);
    assert.equal(events.published.length, 0);
    const result = await service.consolidate({ outcomes: [outcome("a"), outcome("b"), outcome("b")], accounts: {} });
    assert.equal(result?.notified, 1, "b listed twice is published once");
    assert.deepEqual(events.published.map((e) => e.eventId), ["b:accepted", "b:filled"]);
  });

  test("without the filler's position, the event carries the position of the account it valued", async () => {
    const { service, events } = consolidator();
    const carried: AccountSnapshot = { name: "Ana", tradeVersion: 4, positions: [{ ticker: "PETR4", currency: "BRL", quantity: 25, costBasis: 100_000 }] };
    await service.consolidate({ outcomes: [outcome("a", { positionAfter: undefined })], accounts: { "1": carried } });
    const event = events.published.find((e) => e.type === "filled");
    assert.ok(event?.type === "filled");
    assert.equal(event.positionAfter, 25);
    assert.equal(event.encryptedEmail, undefined, "the carried account has no e-mail");
  });

  test("an order of a user who does not exist is settled without an event", async () => {
    const { service, events, marked } = consolidator();
    const result = await service.consolidate({ outcomes: [outcome("a", { userId: "ghost" })], accounts: {} });
    assert.equal(result?.notified, 0);
    assert.deepEqual(events.published, []);
    assert.deepEqual(marked, ["a"]);
  });
});
