import { RemovalPolicy } from "aws-cdk-lib";
import { AttributeType, BillingMode, Table } from "aws-cdk-lib/aws-dynamodb";
import { Construct } from "constructs";
import { EXPIRES_AT } from "../../adapters/keys.ts";

export interface BrokerageTablesProps {
  /**
   * What happens to the tables when the stack is deleted.
   * @default RemovalPolicy.DESTROY (a reference system: `cdk destroy` leaves nothing behind)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The five tables. Keys are generic (`pk`/`sk`) so each table holds several item
 * kinds; docs/data-model.md lists the access patterns and item layouts.
 */
export class BrokerageTables extends Construct {
  /** Profiles (cash, valuation, encrypted e-mail), password hashes and positions, one partition per user; failed sign-ins. */
  public readonly users: Table;
  /**
   * Orders, their status history, trades and idempotency keys; `gsi1` lists a user's
   * orders newest first, the sparse `gsi2` the orders not yet settled (for the reconciler).
   */
  public readonly transactions: Table;
  /** Latest quote per ticker and its history. */
  public readonly quotes: Table;
  /** The audit trail: every order event, append-only, one item per event id. */
  public readonly audit: Table;
  /** Daily statements: one line per filled order, a partition per user and UTC day. */
  public readonly statements: Table;

  constructor(scope: Construct, id: string, props: BrokerageTablesProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    const keyed = (tableId: string, timeToLiveAttribute?: string): Table =>
      new Table(this, tableId, {
        ...(timeToLiveAttribute ? { timeToLiveAttribute } : {}),
        partitionKey: { name: "pk", type: AttributeType.STRING },
        sortKey: { name: "sk", type: AttributeType.STRING },
        billingMode: BillingMode.PAY_PER_REQUEST,
        removalPolicy,
      });
    // Failed sign-in counts expire on their own.
    this.users = keyed("Users", EXPIRES_AT);
    this.transactions = keyed("Transactions");
    this.quotes = keyed("Quotes");
    this.audit = keyed("Audit");
    this.statements = keyed("Statements");
    this.transactions.addGlobalSecondaryIndex({
      indexName: "gsi1",
      partitionKey: { name: "gsi1pk", type: AttributeType.STRING },
      sortKey: { name: "gsi1sk", type: AttributeType.STRING },
    });
    this.transactions.addGlobalSecondaryIndex({
      indexName: "gsi2",
      partitionKey: { name: "gsi2pk", type: AttributeType.STRING },
      sortKey: { name: "gsi2sk", type: AttributeType.STRING },
    });
  }
}
