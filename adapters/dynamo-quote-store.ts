import { BatchGetCommand, BatchWriteCommand, GetCommand, PutCommand, type BatchGetCommandOutput, type BatchWriteCommandInput, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { formatPrice, isCurrency } from "../domain/money.ts";
import type { Quote, QuoteSource } from "../domain/quote.ts";
import { documentClient } from "./aws-clients.ts";
import { latestQuoteKey, quoteHistoryKey } from "./keys.ts";
import type { QuoteStore } from "./ports.ts";

type Item = Record<string, unknown>;

/** BatchWriteItem takes at most 25 items per request. */
const BATCH_WRITE_LIMIT = 25;
/** Items DynamoDB leaves unprocessed (throttling) are written again, with backoff, this many times in all. */
const BATCH_WRITE_ATTEMPTS = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
    await this.recordHistory([quote]);
    await this.recordLatest(quote);
  }

  async recordLatest(quote: Quote): Promise<void> {
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

  async recordHistory(quotes: readonly Quote[]): Promise<void> {
    // One item per ticker and instant; a batch may not name one key twice.
    const items = [...new Map(quotes.map((q) => [`${q.ticker}|${q.asOf}`, { ...quoteHistoryKey(q.ticker, q.asOf), ...quoteItem(q) }])).values()];
    for (let start = 0; start < items.length; start += BATCH_WRITE_LIMIT) {
      let requests: NonNullable<BatchWriteCommandInput["RequestItems"]>[string] = items.slice(start, start + BATCH_WRITE_LIMIT).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 1; requests.length > 0; attempt++) {
        if (attempt > BATCH_WRITE_ATTEMPTS) throw new Error(`${requests.length} quote history items still unprocessed after ${BATCH_WRITE_ATTEMPTS} BatchWriteItem attempts`);
        if (attempt > 1) await sleep(20 * 2 ** attempt);
        const result = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = result.UnprocessedItems?.[this.tableName] ?? [];
      }
    }
  }
}
