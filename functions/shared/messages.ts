/** Schemas of the messages the functions pass each other, checked at every edge. */
import { z } from "zod";

const currency = z.enum(["BRL", "USD"]);

export const orderMessageSchema = z.object({
  orderId: z.string().min(1),
  userId: z.string().min(1),
  correlationId: z.string().min(1),
});

export const orderOutcomeSchema = z.object({
  orderId: z.string().min(1),
  userId: z.string().min(1),
  correlationId: z.string().min(1),
  ticker: z.string().min(1),
  side: z.enum(["BUY", "SELL"]),
  quantity: z.number().int().positive(),
  currency,
  status: z.enum(["FILLED", "REJECTED"]),
  reason: z.enum(["INSUFFICIENT_FUNDS", "INSUFFICIENT_SHARES", "UNKNOWN_TICKER", "INVALID_ORDER", "USER_NOT_FOUND", "ENQUEUE_FAILED"]).optional(),
  price: z.string().optional(),
  amount: z.string().optional(),
  quoteSource: z.string().optional(),
  decidedAt: z.string().optional(),
  positionAfter: z.number().int().nonnegative().optional(),
});

const accountSnapshotSchema = z.object({
  name: z.string(),
  encryptedEmail: z.string().optional(),
  tradeVersion: z.number().int().nonnegative(),
  positions: z.array(z.object({ ticker: z.string().min(1), currency, quantity: z.number().int().nonnegative(), costBasis: z.number().int() })).max(1000),
});

/**
 * What consolidate-portfolio is invoked with: `{"outcomes": [...], "accounts": {...}}`, the
 * outcomes of one process-order batch (any number of users; the reconciler sends one
 * order's) and, optionally, each user's account as the batch left it; or a single outcome,
 * the payload of earlier versions, still accepted for invokes already in flight.
 */
export const consolidationPayloadSchema = z
  .union([z.object({ outcomes: z.array(orderOutcomeSchema).min(1).max(100), accounts: z.record(z.string(), accountSnapshotSchema).optional() }), orderOutcomeSchema])
  .transform((payload) => ("outcomes" in payload ? { outcomes: payload.outcomes, accounts: payload.accounts ?? {} } : { outcomes: [payload], accounts: {} }));

export const notificationSchema = orderOutcomeSchema.extend({
  name: z.string(),
  encryptedEmail: z.string().optional(),
  portfolioValue: z.object({ BRL: z.string(), USD: z.string() }),
  valuedAt: z.string(),
});

/** Parses an SQS body as JSON and checks it; throws a MalformedMessageError otherwise. */
export function parseMessage<T>(schema: z.ZodType<T>, body: string): T {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MalformedMessageError("message body is not JSON");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new MalformedMessageError(`message does not match its schema: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export class MalformedMessageError extends Error {
  override readonly name = "MalformedMessageError";
}
