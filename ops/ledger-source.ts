/** Reads what the ledger audit needs for one user from the users and transactions tables. */
import { BatchGetCommand, QueryCommand, ScanCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { isCurrency, type Cents, type Currency } from "../domain/money.ts";
import type { LedgerPosition, LedgerSnapshot, LedgerTrade } from "./ledger-audit.ts";
import { UserNotFoundError } from "./errors.ts";

type Item = Record<string, unknown>;

export interface LedgerTables {
  readonly usersTable: string;
  readonly transactionsTable: string;
}

const BATCH_GET_LIMIT = 100;

function cashOf(value: unknown): Record<Currency, Cents> | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const cash = value as Partial<Record<Currency, unknown>>;
  return { BRL: Number(cash.BRL ?? 0), USD: Number(cash.USD ?? 0) };
}

/** Every item a Query matches, page after page. */
export async function queryAll(client: DynamoDBDocumentClient, input: ConstructorParameters<typeof QueryCommand>[0]): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** BatchGetItem in chunks of 100, retrying whatever DynamoDB leaves unprocessed. */
async function getMany(client: DynamoDBDocumentClient, table: string, keys: Item[]): Promise<Item[]> {
  const items: Item[] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
    let pending: Item[] = keys.slice(start, start + BATCH_GET_LIMIT);
    while (pending.length > 0) {
      const answer = await client.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }));
      items.push(...(answer.Responses?.[table] ?? []));
      pending = (answer.UnprocessedKeys?.[table]?.Keys ?? []) as Item[];
    }
  }
  return items;
}

function itemToTrade(item: Item): LedgerTrade {
  const currency = item.currency;
  if (!isCurrency(currency)) throw new Error(`trade ${String(item.pk)} has no valid currency`);
  return {
    orderId: String(item.orderId),
    ticker: String(item.ticker),
    side: item.side === "SELL" ? "SELL" : "BUY",
    quantity: Number(item.quantity),
    amount: Number(item.amount),
    currency,
    executedAt: String(item.executedAt),
  };
}

/** The profile, positions and trades of one user; the trades are found through the user's orders on gsi1. */
export async function loadLedgerSnapshot(client: DynamoDBDocumentClient, tables: LedgerTables, userId: string): Promise<LedgerSnapshot> {
  const userItems = await queryAll(client, {
    TableName: tables.usersTable,
    KeyConditionExpression: "pk = :pk",
    ExpressionAttributeValues: { ":pk": `USER#${userId}` },
    ConsistentRead: true,
  });
  const profile = userItems.find((item) => item.sk === "PROFILE");
  if (!profile) throw new UserNotFoundError(`user ${userId} has no profile in ${tables.usersTable}`);
  const positions: LedgerPosition[] = userItems
    .filter((item) => String(item.sk).startsWith("POSITION#"))
    .map((item) => ({ ticker: String(item.ticker ?? String(item.sk).slice("POSITION#".length)), quantity: Number(item.quantity ?? 0), costBasis: Number(item.costBasis ?? 0) }));

  const orders = await queryAll(client, {
    TableName: tables.transactionsTable,
    IndexName: "gsi1",
    KeyConditionExpression: "gsi1pk = :user",
    ExpressionAttributeValues: { ":user": `USER#${userId}` },
  });
  // Every order is looked at, not only FILLED ones: a TRADE under an order that is not FILLED is a finding too.
  const tradeItems = await getMany(client, tables.transactionsTable, orders.map((order) => ({ pk: order.pk, sk: "TRADE" })));
  const tradedOrders = new Set(tradeItems.map((item) => String(item.orderId)));
  const filledWithoutTrade = orders.filter((order) => order.status === "FILLED" && !tradedOrders.has(String(order.orderId))).map((order) => String(order.orderId));
  const tradedButNotFilled = orders.filter((order) => order.status !== "FILLED" && tradedOrders.has(String(order.orderId))).map((order) => String(order.orderId));

  return {
    userId,
    initialCash: cashOf(profile.initialCash),
    cash: cashOf(profile.cash) ?? { BRL: 0, USD: 0 },
    tradeVersion: Number(profile.tradeVersion ?? 0),
    positions,
    trades: tradeItems.map(itemToTrade),
    filledWithoutTrade,
    tradedButNotFilled,
  };
}

/** Every user with a profile, for `--all`. */
export async function listUserIds(client: DynamoDBDocumentClient, usersTable: string): Promise<string[]> {
  const ids: string[] = [];
  let startKey: Item | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: usersTable,
        FilterExpression: "sk = :profile",
        ExpressionAttributeValues: { ":profile": "PROFILE" },
        ProjectionExpression: "userId, pk",
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const item of page.Items ?? []) ids.push(String(item.userId ?? String(item.pk).slice("USER#".length)));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return ids.sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}
