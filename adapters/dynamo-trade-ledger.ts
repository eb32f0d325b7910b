import { TransactWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Execution } from "../domain/execution.ts";
import type { Fill, Order } from "../domain/order.ts";
import { documentClient } from "./aws-clients.ts";
import { orderKey, positionKey, profileKey, tradeKey } from "./keys.ts";
import { eventToItem } from "./order-items.ts";
import type { FillOutcome, TradeLedger } from "./ports.ts";
import { failedConditions } from "./transaction-errors.ts";

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]["TransactItems"]>;

// Positions of the items in the fill transaction, to read which condition failed.
const ORDER_ITEM = 0;
const TRADE_ITEM = 2;
const CASH_ITEM = 3;
const POSITION_ITEM = 4;

/**
 * A fill is one TransactWriteItems over both tables: the order goes FILLED only
 * if it is still ACCEPTED, the trade is written once, cash and position move
 * under conditions that re-check funds and shares at write time.
 */
export class DynamoTradeLedger implements TradeLedger {
  constructor(
    private readonly transactionsTable: string,
    private readonly usersTable: string,
    private readonly client: DynamoDBDocumentClient = documentClient,
  ) {}

  async recordFill(order: Order, execution: Execution, fill: Fill): Promise<FillOutcome> {
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: this.fillItems(order, execution, fill) }));
      return { kind: "FILLED" };
    } catch (error) {
      const failed = failedConditions(error);
      if (!failed || failed.length === 0) throw error;
      if (failed.includes(ORDER_ITEM) || failed.includes(TRADE_ITEM)) return { kind: "ALREADY_FINAL" };
      if (failed.includes(CASH_ITEM)) return { kind: "REJECTED", reason: "INSUFFICIENT_FUNDS" };
      if (failed.includes(POSITION_ITEM)) return { kind: "REJECTED", reason: "INSUFFICIENT_SHARES" };
      throw error;
    }
  }

  private fillItems(order: Order, execution: Execution, fill: Fill): TransactItems {
    const transactions = this.transactionsTable;
    const users = this.usersTable;
    const buying = order.side === "BUY";
    return [
      {
        Update: {
          TableName: transactions,
          Key: orderKey(order.orderId),
          UpdateExpression: "SET #status = :filled, fill = :fill, updatedAt = :at",
          ConditionExpression: "#status = :accepted",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":filled": "FILLED", ":accepted": "ACCEPTED", ":fill": fill, ":at": fill.executedAt },
        },
      },
      { Put: { TableName: transactions, Item: eventToItem(order.orderId, 2, { status: "FILLED", at: fill.executedAt, price: fill.price, amount: fill.amount }) } },
      {
        Put: {
          TableName: transactions,
          Item: { ...tradeKey(order.orderId), type: "TRADE", orderId: order.orderId, userId: order.userId, ticker: order.ticker, side: order.side, quantity: order.quantity, ...fill },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      {
        Update: {
          TableName: users,
          Key: profileKey(order.userId),
          UpdateExpression: "SET cash.#currency = cash.#currency + :delta ADD tradeVersion :one",
          ConditionExpression: buying ? "cash.#currency >= :cost" : "attribute_exists(pk)",
          ExpressionAttributeNames: { "#currency": order.currency },
          ExpressionAttributeValues: { ":delta": execution.cashDelta, ":one": 1, ...(buying ? { ":cost": execution.amount } : {}) },
        },
      },
      {
        Update: {
          TableName: users,
          Key: positionKey(order.userId, order.ticker),
          UpdateExpression:
            "SET quantity = if_not_exists(quantity, :zero) + :quantity, costBasis = if_not_exists(costBasis, :zero) + :cost, ticker = :ticker, currency = :currency",
          ...(buying ? {} : { ConditionExpression: "quantity >= :sold" }),
          ExpressionAttributeValues: {
            ":zero": 0,
            ":quantity": execution.quantityDelta,
            ":cost": execution.costBasisDelta,
            ":ticker": order.ticker,
            ":currency": order.currency,
            ...(buying ? {} : { ":sold": order.quantity }),
          },
        },
      },
    ];
  }
}
