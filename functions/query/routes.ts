import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { centsFromDecimal } from "../../domain/money.ts";
import { dailyStatement, isStatementDay } from "../../domain/statement.ts";
import { listingOf } from "../../domain/tickers.ts";
import type { AuditTrail, StatementBook } from "../../adapters/event-ports.ts";
import { InvalidPageTokenError, type OrderStore, type QuoteStore, type UserStore } from "../../adapters/ports.ts";
import { callerOf } from "../shared/caller.ts";
import { HttpError, jsonResponse } from "../shared/http.ts";
import { auditedEventView, eventView, orderView, quoteView, statementView, userView } from "./views.ts";

export interface QueryPorts {
  readonly users: UserStore;
  readonly orders: OrderStore;
  readonly quotes: QuoteStore;
  readonly audit: AuditTrail;
  readonly statements: StatementBook;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

function pathParameter(event: APIGatewayProxyEvent, name: string, code: string): string {
  const value = event.pathParameters?.[name];
  if (value === undefined || !ID.test(value)) throw new HttpError(400, code, `${name} must be 1 to 64 letters, digits, "-" or "_".`, { [name]: value ?? null });
  return value;
}

function limitOf(event: APIGatewayProxyEvent): number {
  const raw = event.queryStringParameters?.limit;
  if (raw === undefined) return 20;
  const limit = Number(raw);
  if (!/^\d+$/.test(raw) || limit < 1 || limit > 100) throw new HttpError(400, "INVALID_LIMIT", "limit must be a whole number from 1 to 100.", { limit: raw });
  return limit;
}

/** The account in the path, when it is the caller's own; another user's is refused. */
function ownUserId(event: APIGatewayProxyEvent): string {
  const userId = pathParameter(event, "userId", "INVALID_USER_ID");
  if (userId !== callerOf(event)) throw new HttpError(403, "FORBIDDEN", "You can read only your own account.");
  return userId;
}

async function getUser(event: APIGatewayProxyEvent, ports: QueryPorts): Promise<APIGatewayProxyResult> {
  const userId = ownUserId(event);
  const account = await ports.users.getAccount(userId);
  if (!account) throw new HttpError(404, "USER_NOT_FOUND", `User ${userId} does not exist.`);
  const quotes = await ports.quotes.latestMany(account.positions.map((p) => p.ticker));
  return jsonResponse(200, userView(account, quotes));
}

async function listTransactions(event: APIGatewayProxyEvent, ports: QueryPorts): Promise<APIGatewayProxyResult> {
  const userId = ownUserId(event);
  const limit = limitOf(event);
  if (!(await ports.users.getProfile(userId))) throw new HttpError(404, "USER_NOT_FOUND", `User ${userId} does not exist.`);
  const nextToken = event.queryStringParameters?.nextToken;
  try {
    const page = await ports.orders.listByUser(userId, limit, nextToken);
    return jsonResponse(200, { items: page.orders.map(orderView), nextToken: page.nextToken ?? null });
  } catch (error) {
    if (error instanceof InvalidPageTokenError) throw new HttpError(400, "INVALID_NEXT_TOKEN", "nextToken is not valid for this list.");
    throw error;
  }
}

async function getOrder(event: APIGatewayProxyEvent, ports: QueryPorts): Promise<APIGatewayProxyResult> {
  const orderId = pathParameter(event, "orderId", "INVALID_ORDER_ID");
  const order = await ports.orders.get(orderId);
  // Someone else's order is answered as missing, so order ids reveal nothing.
  if (!order || order.userId !== callerOf(event)) throw new HttpError(404, "ORDER_NOT_FOUND", `Order ${orderId} does not exist.`);
  const history = await ports.orders.history(orderId);
  return jsonResponse(200, { ...orderView(order), history: history.map(eventView) });
}

async function getOrderEvents(event: APIGatewayProxyEvent, ports: QueryPorts): Promise<APIGatewayProxyResult> {
  const orderId = pathParameter(event, "orderId", "INVALID_ORDER_ID");
  const order = await ports.orders.get(orderId);
  if (!order || order.userId !== callerOf(event)) throw new HttpError(404, "ORDER_NOT_FOUND", `Order ${orderId} does not exist.`);
  const events = await ports.audit.eventsOf(orderId);
  return jsonResponse(200, { orderId, items: events.map(auditedEventView) });
}

async function getStatement(event: APIGatewayProxyEvent, ports: QueryPorts): Promise<APIGatewayProxyResult> {
  const userId = ownUserId(event);
  const date = event.pathParameters?.date ?? "";
  if (!isStatementDay(date)) throw new HttpError(400, "INVALID_DATE", "date must be a calendar day written YYYY-MM-DD (UTC).", { date });
  if (!(await ports.users.getProfile(userId))) throw new HttpError(404, "USER_NOT_FOUND", `User ${userId} does not exist.`);
  const lines = await ports.statements.linesOf(userId, date);
  const entries = dailyStatement(lines.map((line) => ({ ...line, amount: centsFromDecimal(line.amount) })));
  return jsonResponse(200, statementView(userId, date, entries, lines.length));
}

async function getQuote(event: APIGatewayProxyEvent, ports: QueryPorts): Promise<APIGatewayProxyResult> {
  const listing = listingOf(event.pathParameters?.ticker ?? "");
  if (!listing) throw new HttpError(400, "INVALID_TICKER", "ticker must look like a B3 ticker (PETR4) or a US ticker (AAPL).");
  const quote = await ports.quotes.latest(listing.ticker);
  if (!quote) throw new HttpError(404, "QUOTE_NOT_FOUND", `No quote is known for ${listing.ticker} yet.`);
  return jsonResponse(200, quoteView(quote));
}

type Route = (event: APIGatewayProxyEvent, ports: QueryPorts) => Promise<APIGatewayProxyResult>;

/** Keyed by API Gateway's resource path, as the stack declares the routes. */
export const ROUTES: Readonly<Record<string, Route>> = {
  "/users/{userId}": getUser,
  "/users/{userId}/transactions": listTransactions,
  "/orders/{orderId}": getOrder,
  "/orders/{orderId}/events": getOrderEvents,
  "/users/{userId}/statements/{date}": getStatement,
  "/quotes/{ticker}": getQuote,
};
