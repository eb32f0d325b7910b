/** `dlq list`: each dead-letter queue, its depth, and for each message what it was and why it failed. */
import { GetQueueAttributesCommand, type Message, type SQSClient } from "@aws-sdk/client-sqs";
import { GetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { DeadLetterQueuePair } from "./dead-letter-queues.ts";
import { peekMessages } from "./dlq-peek.ts";

export interface DeadLetterMessageView {
  readonly messageId: string;
  readonly sentAt: string | null;
  /** Includes the receive made by this listing. */
  readonly receiveCount: number;
  readonly messageGroupId: string | null;
  readonly summary: Readonly<Record<string, string | number>>;
  readonly reason: string;
}

export interface DeadLetterQueueView {
  readonly name: string;
  readonly deadLetterQueueUrl: string;
  readonly sourceQueueUrl: string;
  readonly depth: number;
  readonly inFlight: number;
  readonly messages: readonly DeadLetterMessageView[];
}

/** Where order records live, to explain why an order message failed. */
export interface OrderLookup {
  readonly client: DynamoDBDocumentClient;
  readonly transactionsTable: string;
}

type Json = Record<string, unknown>;
const SUMMARY_FIELDS = ["orderId", "userId", "ticker", "side", "quantity", "status"] as const;

const unknownReason = (messageId: string) => `unknown (see the function's logs for ${messageId})`;

function parseBody(body: string | undefined): Json | undefined {
  try {
    const value: unknown = JSON.parse(body ?? "");
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

function pick(source: Json, fields: readonly string[]): Record<string, string | number> {
  const picked: Record<string, string | number> = {};
  for (const field of fields) {
    const value = source[field];
    if (typeof value === "string" || typeof value === "number") picked[field] = value;
  }
  return picked;
}

/** Status, reason and any attribute of the order record that names a failure or an error. */
function reasonFromOrder(order: Json, messageId: string): string {
  const parts = [`order ${String(order.status ?? "?")}`];
  if (order.reason) parts.push(`reason ${String(order.reason)}`);
  for (const [key, value] of Object.entries(order)) {
    if (/fail|error/i.test(key)) parts.push(`${key} ${typeof value === "string" ? value : JSON.stringify(value)}`);
  }
  if (order.status === "ACCEPTED") parts.push(`processing never finished; see the function's logs for ${messageId}`);
  return parts.join("; ");
}

async function describe(message: Message, isOrderQueue: boolean, orders: OrderLookup | undefined): Promise<DeadLetterMessageView> {
  const messageId = String(message.MessageId);
  const attributes = message.Attributes ?? {};
  const sent = Number(attributes.SentTimestamp);
  const body = parseBody(message.Body);
  let summary: Record<string, string | number> = body ? pick(body, SUMMARY_FIELDS) : { body: (message.Body ?? "").slice(0, 60) };
  let reason = unknownReason(messageId);
  if (isOrderQueue && body && typeof body.orderId === "string") {
    if (!orders) {
      reason = `${reason}; set TRANSACTIONS_TABLE to look the order up`;
    } else {
      const { Item } = await orders.client.send(new GetCommand({ TableName: orders.transactionsTable, Key: { pk: `ORDER#${body.orderId}`, sk: "ORDER" } }));
      if (Item) {
        summary = { ...pick(Item, SUMMARY_FIELDS), ...pick(body, ["orderId", "userId"]) };
        reason = reasonFromOrder(Item, messageId);
      } else {
        reason = `unknown (order ${body.orderId} is not in the transactions table; see the function's logs for ${messageId})`;
      }
    }
  }
  return {
    messageId,
    sentAt: Number.isFinite(sent) ? new Date(sent).toISOString() : null,
    receiveCount: Number(attributes.ApproximateReceiveCount ?? 0),
    messageGroupId: attributes.MessageGroupId ?? null,
    summary,
    reason,
  };
}

export async function listDeadLetterQueues(
  sqs: SQSClient,
  pairs: readonly DeadLetterQueuePair[],
  options: { orders?: OrderLookup; maxPerQueue?: number } = {},
): Promise<DeadLetterQueueView[]> {
  const views: DeadLetterQueueView[] = [];
  for (const pair of pairs) {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: pair.deadLetterQueueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
    );
    const depth = Number(Attributes.ApproximateNumberOfMessages ?? 0);
    const messages = depth > 0 ? await peekMessages(sqs, pair.deadLetterQueueUrl, { max: options.maxPerQueue ?? 100 }) : [];
    const isOrderQueue = pair.name === "orders";
    const described: DeadLetterMessageView[] = [];
    for (const message of messages) described.push(await describe(message, isOrderQueue, options.orders));
    views.push({
      name: pair.name,
      deadLetterQueueUrl: pair.deadLetterQueueUrl,
      sourceQueueUrl: pair.sourceQueueUrl,
      depth,
      inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
      messages: described,
    });
  }
  return views;
}
