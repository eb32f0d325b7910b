import { BatchGetCommand, GetCommand, PutCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { formatPrice, isCurrency } from "../domain/money.ts";
import type { Quote, QuoteSource } from "../domain/quote.ts";
import { documentClient } from "./aws-clients.ts";
import { latestQuoteKey, quoteHistoryKey } from "./keys.ts";
import type { QuoteStore } from "./ports.ts";

type Item = Record<string, unknown>;

function itemToQuote(item: Item): Quote | undefined {
  if (!isCurrency(item.currency) || typeof item.price !== "number") return undefined;
  return { ticker: String(item.ticker), price: item.price, currency: item.currency, asOf: String(item.asOf), source: item.source as QuoteSource };
}

function quoteItem(quote: Quote): Item {
  // priceText is for people reading the table with the aws CLI; price is what code reads.
  return { ticker: quote.ticker, price: quote.price, priceText: formatPrice(quote.price), currency: quote.currency, asOf: quote.asOf, source: quote.source };
}

/** Latest quote per ticker and its history in the quotes table. */
export class DynamoQuoteStore implements QuoteStore {
  constructor(
    private readonly tableName: string,
    private readonly client: DynamoDBDocumentClient = documentClient,
  ) {}

  async latest(ticker: string): Promise<Quote | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: latestQuoteKey(ticker) }));
    return Item ? itemToQuote(Item) : undefined;
  }

  async latestMany(tickers: readonly string[]): Promise<Map<string, Quote>> {
    const found = new Map<string, Quote>();
    const unique = [...new Set(tickers)];
    for (let start = 0; start < unique.length; start += 100) {
      let keys: Item[] | undefined = unique.slice(start, start + 100).map(latestQuoteKey);
      while (keys && keys.length > 0) {
        const result: BatchGetCommandOutput = await this.client.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }));
        for (const item of result.Responses?.[this.tableName] ?? []) {
          const quote = itemToQuote(item);
          if (quote) found.set(quote.ticker, quote);
        }
        keys = result.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return found;
  }

  async record(quote: Quote): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...quoteHistoryKey(quote.ticker, quote.asOf), ...quoteItem(quote) } }));
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...latestQuoteKey(quote.ticker), ...quoteItem(quote) },
          // Out-of-order writers must not move LATEST back in time.
          ConditionExpression: "attribute_not_exists(asOf) OR asOf <= :asOf",
          ExpressionAttributeValues: { ":asOf": quote.asOf },
        }),
      );
    } catch (error) {
      if (!(error instanceof Error && error.name === "ConditionalCheckFailedException")) throw error;
    }
  }
}
