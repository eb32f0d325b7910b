/** Drives orders through the real handlers: POST via validate-order, then the queued message. */
import { DeleteMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyResult, SQSBatchResponse, SQSRecord } from "aws-lambda";
import assert from "node:assert/strict";
import { apiEvent, lambdaContext, sqsRecord } from "./events.ts";
import type { TestCloud } from "./test-cloud.ts";

export type ApiHandler = (event: unknown, context: unknown) => Promise<APIGatewayProxyResult>;
export type SqsHandler = (event: unknown, context: unknown) => Promise<SQSBatchResponse>;

/** Places an order through validate-order and returns its id and the record SQS would deliver. */
export async function placeOrder(
  cloud: TestCloud,
  validate: ApiHandler,
  order: { userId: string; ticker: string; quantity: number; side?: "BUY" | "SELL" },
): Promise<{ orderId: string; record: SQSRecord }> {
  const response = await validate(apiEvent({ method: "POST", resource: "/orders", body: JSON.stringify(order), caller: order.userId }), lambdaContext());
  assert.equal(response.statusCode, 202, response.body);
  const { orderId } = JSON.parse(response.body) as { orderId: string };
  const { Messages = [] } = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: cloud.queues.orders, MaxNumberOfMessages: 1 }));
  const message = Messages[0];
  assert.ok(message?.Body, "the order is on the queue");
  await cloud.sqs.send(new DeleteMessageCommand({ QueueUrl: cloud.queues.orders, ReceiptHandle: message.ReceiptHandle }));
  assert.equal((JSON.parse(message.Body) as { orderId: string }).orderId, orderId);
  return { orderId, record: sqsRecord(message.Body, { messageId: message.MessageId ?? orderId, groupId: order.userId }) };
}

export async function profileOf(cloud: TestCloud, userId: string): Promise<{ name: string; cash: { BRL: number; USD: number }; valuation?: { totals: Record<string, { marketValue: number }> } }> {
  const { Item } = await cloud.db.send(new GetCommand({ TableName: cloud.tables.users, Key: { pk: `USER#${userId}`, sk: "PROFILE" } }));
  assert.ok(Item, `user ${userId} exists`);
  return Item as never;
}

export async function positionOf(cloud: TestCloud, userId: string, ticker: string): Promise<{ quantity: number; costBasis: number } | undefined> {
  const { Item } = await cloud.db.send(new GetCommand({ TableName: cloud.tables.users, Key: { pk: `USER#${userId}`, sk: `POSITION#${ticker}` } }));
  return Item as never;
}

export async function orderOf(cloud: TestCloud, orderId: string): Promise<{ status: string; reason?: string; fill?: { price: number; amount: number; quoteSource: string } }> {
  const { Item } = await cloud.db.send(new GetCommand({ TableName: cloud.tables.transactions, Key: { pk: `ORDER#${orderId}`, sk: "ORDER" } }));
  assert.ok(Item, `order ${orderId} exists`);
  return Item as never;
}

export interface InvokedOutcome {
  orderId: string;
  userId: string;
  status: string;
  reason?: string;
}

/** The order outcomes an invoke of consolidate-portfolio carries: `{"outcomes": [...]}` or, the older form, one outcome. */
export function outcomesIn(payload: unknown): InvokedOutcome[] {
  const body = payload as { outcomes?: InvokedOutcome[] } & Partial<InvokedOutcome>;
  return body.outcomes ?? (body.orderId ? [body as InvokedOutcome] : []);
}

/** The recorded consolidate invokes that carry this order's outcome. */
export function invocationsFor(cloud: TestCloud, orderId: string): TestCloud["invocations"] {
  return cloud.invocations.filter((i) => outcomesIn(i.payload).some((o) => o.orderId === orderId));
}

/** This order's outcome in the first consolidate invoke that carries it. */
export function invokedOutcome(cloud: TestCloud, orderId: string): InvokedOutcome | undefined {
  const [invocation] = invocationsFor(cloud, orderId);
  return invocation ? outcomesIn(invocation.payload).find((o) => o.orderId === orderId) : undefined;
}
