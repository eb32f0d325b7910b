import { CfnOutput, Duration, Stack, type StackProps } from "aws-cdk-lib";
import { Rule, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type { Construct } from "constructs";
import { ENV } from "../functions/shared/env-names.ts";
import { CORS_ALLOW_ORIGINS } from "../functions/shared/http.ts";
import { BrokerageApi, validateOrigins } from "./api/brokerage-api.ts";
import { BrokerageFunction } from "./compute/brokerage-function.ts";
import { BrokerageTables } from "./data/tables.ts";
import { BrokerageObservability } from "./observability/brokerage-observability.ts";
import { BrokerageKeys } from "./security/brokerage-keys.ts";
import { OrderEventsTopic } from "./messaging/order-events-topic.ts";
import { QueueWithDeadLetterQueue } from "./messaging/queue-with-dead-letter-queue.ts";
import { ComplianceAlerts } from "./messaging/compliance-alerts.ts";

export type PriceSourceName = "simulated" | "yahoo";

export interface BrokerageStackProps extends StackProps {
  /**
   * Where process-order gets prices: the simulated market (offline, deterministic)
   * or Yahoo Finance.
   * @default "simulated"
   */
  readonly priceSource?: string;
  /**
   * Seed of the simulated market.
   * @default "brokerage"
   */
  readonly simulatedMarketSeed?: string;
  /**
   * Share of simulated-market calls that fail, from 0 to 1, for chaos runs.
   * @default 0
   */
  readonly simulatedMarketFailureRate?: number;
  /**
   * Origins a browser may call the API from (CORS): ["*"] or exact origins.
   * @default the context value `corsAllowOrigins` (comma-separated), else ["*"]
   */
  readonly corsAllowOrigins?: readonly string[];
  /**
   * Notional above which a USD order raises a compliance alert, a decimal (BRL's is 100000.00).
   * @default the context value `complianceUsdThreshold`, else "20000.00"
   */
  readonly complianceUsdThreshold?: string;
}

/** `-c corsAllowOrigins=https://a.example,https://b.example` or a list in cdk.json. */
function originsFromContext(scope: Construct): string[] | undefined {
  const value: unknown = scope.node.tryGetContext("corsAllowOrigins");
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value.map(String) : String(value).split(",");
  return list.map((origin) => origin.trim()).filter(Boolean);
}

/**
 * The whole system: API (with its authorizer, API keys and usage plans), twelve functions,
 * the OrderEvents topic, the compliance bus, six queues with DLQs, five tables, one schedule,
 * the signing secret, the KMS key, and the alarms and dashboard over all of it.
 */
export class BrokerageStack extends Stack {
  constructor(scope: Construct, id: string, props: BrokerageStackProps = {}) {
    super(scope, id, props);
    const priceSource = props.priceSource ?? "simulated";
    if (priceSource !== "simulated" && priceSource !== "yahoo") {
      throw new Error(`priceSource must be "simulated" or "yahoo", got "${priceSource}"`);
    }

    const failureRate = props.simulatedMarketFailureRate ?? 0;
    if (!(failureRate >= 0 && failureRate <= 1)) {
      throw new Error(`simulatedMarketFailureRate must be from 0 to 1, got ${failureRate}`);
    }

    const allowOrigins = validateOrigins(props.corsAllowOrigins ?? originsFromContext(this) ?? ["*"]);
    const cors = { [CORS_ALLOW_ORIGINS]: allowOrigins.join(",") };

    const usdThreshold: unknown = props.complianceUsdThreshold ?? this.node.tryGetContext("complianceUsdThreshold");
    const compliance = new ComplianceAlerts(this, "Compliance", usdThreshold === undefined ? {} : { usdThreshold: String(usdThreshold) });

    const tables = new BrokerageTables(this, "Tables");
    const keys = new BrokerageKeys(this, "Keys");
    // Each queue's visibility timeout follows from its consumer's timeout and batching window.
    const processOrderTimeout = Duration.seconds(10);
    const notifyTimeout = Duration.seconds(10);
    const notificationWindow = Duration.seconds(1);
    // One user's orders run in the order they were accepted: FIFO, grouped by user.
    const orders = new QueueWithDeadLetterQueue(this, "Orders", { fifo: true, consumerTimeout: processOrderTimeout });
    const notificationQueue = { consumerTimeout: notifyTimeout, consumerBatchingWindow: notificationWindow };
    const push = new QueueWithDeadLetterQueue(this, "Push", notificationQueue);
    const email = new QueueWithDeadLetterQueue(this, "Email", notificationQueue);
    const recordTimeout = Duration.seconds(10);
    // Accepted events arrive one by one: a batching window lets the recorders take them ten at a time.
    const recordQueue = { consumerTimeout: recordTimeout, consumerBatchingWindow: notificationWindow };
    const audit = new QueueWithDeadLetterQueue(this, "Audit", recordQueue);
    const reports = new QueueWithDeadLetterQueue(this, "Reports", recordQueue);
    // Every change of an order's state goes out once; each consumer's queue takes what it needs.
    const orderEvents = new OrderEventsTopic(this, "OrderEvents");
    orderEvents.subscribeQueue(push.queue, { types: ["filled", "rejected"] });
    orderEvents.subscribeQueue(email.queue, { types: ["filled", "rejected"] });
    orderEvents.subscribeQueue(audit.queue);
    orderEvents.subscribeQueue(reports.queue, { types: ["filled"] });

    const validateOrder = new BrokerageFunction(this, "ValidateOrder", {
      entryName: "validate-order",
      description: "Validates POST /orders, answers 202 and enqueues the order",
      environment: {
        [ENV.USERS_TABLE]: tables.users.tableName,
        [ENV.TRANSACTIONS_TABLE]: tables.transactions.tableName,
        [ENV.ORDERS_QUEUE_URL]: orders.queue.queueUrl,
        ...cors,
      },
    });
    const consolidatePortfolio = new BrokerageFunction(this, "ConsolidatePortfolio", {
      entryName: "consolidate-portfolio",
      description: "Revalues a user's portfolio and publishes each order's accepted and final events",
      environment: {
        [ENV.USERS_TABLE]: tables.users.tableName,
        [ENV.QUOTES_TABLE]: tables.quotes.tableName,
        [ENV.TRANSACTIONS_TABLE]: tables.transactions.tableName,
        [ENV.ORDER_EVENTS_TOPIC_ARN]: orderEvents.topic.topicArn,
      },
    });
    const processOrder = new BrokerageFunction(this, "ProcessOrder", {
      entryName: "process-order",
      description: "Prices and executes orders from the orders queue",
      timeout: processOrderTimeout,
      environment: {
        [ENV.USERS_TABLE]: tables.users.tableName,
        [ENV.TRANSACTIONS_TABLE]: tables.transactions.tableName,
        [ENV.QUOTES_TABLE]: tables.quotes.tableName,
        [ENV.CONSOLIDATE_FUNCTION_NAME]: consolidatePortfolio.functionName,
        // For the retry backoff: a failed order's next delivery is pushed back.
        [ENV.ORDERS_QUEUE_URL]: orders.queue.queueUrl,
        [ENV.PRICE_SOURCE]: priceSource,
        [ENV.SIMULATED_MARKET_SEED]: props.simulatedMarketSeed ?? "brokerage",
        [ENV.SIMULATED_MARKET_FAILURE_RATE]: String(failureRate),
        [ENV.QUOTE_MAX_AGE_SECONDS]: "900",
        [ENV.PRICE_TIMEOUT_MS]: "3000",
      },
    });
    // A crash between two steps can strand an order; this sweep finds and resumes it.
    const reconcileOrders = new BrokerageFunction(this, "ReconcileOrders", {
      entryName: "reconcile-orders",
      description: "Re-queues orders left ACCEPTED and re-starts consolidation of orders never notified",
      timeout: Duration.seconds(50),
      environment: {
        [ENV.TRANSACTIONS_TABLE]: tables.transactions.tableName,
        [ENV.ORDERS_QUEUE_URL]: orders.queue.queueUrl,
        [ENV.CONSOLIDATE_FUNCTION_NAME]: consolidatePortfolio.functionName,
        [ENV.RECONCILE_GRACE_SECONDS]: "120",
      },
    });
    const sendPush = new BrokerageFunction(this, "SendPush", {
      entryName: "send-push",
      description: "Delivers push notifications (simulated: a structured log line)",
      timeout: notifyTimeout,
    });
    const sendEmail = new BrokerageFunction(this, "SendEmail", {
      entryName: "send-email",
      description: "Delivers e-mail notifications (simulated: a structured log line)",
      timeout: notifyTimeout,
      environment: { [ENV.PERSONAL_DATA_KEY_ARN]: keys.personalDataKey.keyArn },
    });
    const auditRecorder = new BrokerageFunction(this, "AuditRecorder", {
      entryName: "audit-recorder",
      description: "Appends every order event from the audit queue to the audit table",
      timeout: recordTimeout,
      environment: { [ENV.AUDIT_TABLE]: tables.audit.tableName, ...compliance.environment },
    });
    const recordStatementLines = new BrokerageFunction(this, "RecordStatementLines", {
      entryName: "record-statement-lines",
      description: "Adds each filled order from the reports queue to its user's daily statement",
      timeout: recordTimeout,
      environment: { [ENV.STATEMENTS_TABLE]: tables.statements.tableName },
    });
    const createSession = new BrokerageFunction(this, "CreateSession", {
      entryName: "create-session",
      description: "Answers POST /sessions: checks a password and issues an access token",
      environment: {
        [ENV.USERS_TABLE]: tables.users.tableName,
        [ENV.SIGNING_SECRET_ARN]: keys.signingSecret.secretArn,
        ...cors,
      },
    });
    const authorize = new BrokerageFunction(this, "Authorize", {
      entryName: "authorize",
      description: "The API's Lambda authorizer: checks bearer tokens",
      environment: {
        [ENV.USERS_TABLE]: tables.users.tableName,
        [ENV.SIGNING_SECRET_ARN]: keys.signingSecret.secretArn,
      },
    });
    const queryApi = new BrokerageFunction(this, "QueryApi", {
      entryName: "query-api",
      description: "Answers the GET routes straight from DynamoDB",
      environment: {
        [ENV.USERS_TABLE]: tables.users.tableName,
        [ENV.TRANSACTIONS_TABLE]: tables.transactions.tableName,
        [ENV.QUOTES_TABLE]: tables.quotes.tableName,
        [ENV.AUDIT_TABLE]: tables.audit.tableName,
        [ENV.STATEMENTS_TABLE]: tables.statements.tableName,
        ...cors,
      },
    });

    // Least privilege: each function gets exactly the access its code uses.
    tables.users.grantReadData(validateOrder);
    tables.transactions.grantReadWriteData(validateOrder);
    orders.queue.grantSendMessages(validateOrder);
    tables.users.grantReadWriteData(processOrder);
    tables.transactions.grantReadWriteData(processOrder);
    tables.quotes.grantReadWriteData(processOrder);
    consolidatePortfolio.grantInvoke(processOrder);
    tables.users.grantReadWriteData(consolidatePortfolio);
    tables.quotes.grantReadData(consolidatePortfolio);
    // Reads whether its orders were notified (one BatchGetItem), then marks each so.
    tables.transactions.grant(consolidatePortfolio, "dynamodb:BatchGetItem", "dynamodb:UpdateItem");
    tables.transactions.grant(reconcileOrders, "dynamodb:Query", "dynamodb:UpdateItem");
    orders.queue.grantSendMessages(reconcileOrders);
    consolidatePortfolio.grantInvoke(reconcileOrders);
    orderEvents.grantPublish(consolidatePortfolio);
    for (const table of [tables.users, tables.transactions, tables.quotes]) table.grantReadData(queryApi);
    // An order's events and a day's statement lines are each one Query.
    tables.audit.grant(queryApi, "dynamodb:Query");
    tables.statements.grant(queryApi, "dynamodb:Query");
    // Append-only: a conditional put, never an update or a delete; GetItem reads whether a fill was screened.
    tables.audit.grant(auditRecorder, "dynamodb:PutItem", "dynamodb:GetItem");
    compliance.grantRaise(auditRecorder);
    tables.statements.grant(recordStatementLines, "dynamodb:PutItem");
    // Sign-in reads the password hash and counts failures; the authorizer checks the user exists.
    tables.users.grant(createSession, "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem");
    tables.users.grant(authorize, "dynamodb:GetItem");
    keys.signingSecret.grantRead(createSession);
    keys.signingSecret.grantRead(authorize);
    // Only the e-mail sender reads personal data. No function writes it: the seed and the
    // users command encrypt with the operator's own credentials.
    keys.personalDataKey.grantDecrypt(sendEmail);

    // Consumers report partial batch failures, so one bad message never fails its neighbours.
    processOrder.addEventSource(new SqsEventSource(orders.queue, { batchSize: 10, reportBatchItemFailures: true }));
    const notificationSource = { batchSize: 10, maxBatchingWindow: notificationWindow, reportBatchItemFailures: true };
    sendPush.addEventSource(new SqsEventSource(push.queue, notificationSource));
    sendEmail.addEventSource(new SqsEventSource(email.queue, notificationSource));
    auditRecorder.addEventSource(new SqsEventSource(audit.queue, notificationSource));
    recordStatementLines.addEventSource(new SqsEventSource(reports.queue, notificationSource));

    new Rule(this, "ReconcileSchedule", {
      description: "Runs reconcile-orders every minute",
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(reconcileOrders)],
    });

    const api = new BrokerageApi(this, "Api", { writeHandler: validateOrder, readHandler: queryApi, sessionHandler: createSession, authorizerHandler: authorize, allowOrigins });

    // Alarms and the dashboard cover every queue and function of the stack, wherever declared.
    new BrokerageObservability(this, "Observability");

    const outputs: Record<string, string> = {
      ApiUrl: api.url,
      // With the id, a script can build the emulator's /_aws/execute-api/<id>/<stage>/ URL.
      ApiId: api.restApi.restApiId,
      OrdersQueueUrl: orders.queue.queueUrl,
      OrdersDeadLetterQueueUrl: orders.deadLetterQueue.queueUrl,
      PushQueueUrl: push.queue.queueUrl,
      PushDeadLetterQueueUrl: push.deadLetterQueue.queueUrl,
      EmailQueueUrl: email.queue.queueUrl,
      EmailDeadLetterQueueUrl: email.deadLetterQueue.queueUrl,
      AuditQueueUrl: audit.queue.queueUrl,
      AuditDeadLetterQueueUrl: audit.deadLetterQueue.queueUrl,
      ReportsQueueUrl: reports.queue.queueUrl,
      ReportsDeadLetterQueueUrl: reports.deadLetterQueue.queueUrl,
      OrderEventsTopicArn: orderEvents.topic.topicArn,
      UsersTableName: tables.users.tableName,
      TransactionsTableName: tables.transactions.tableName,
      QuotesTableName: tables.quotes.tableName,
      AuditTableName: tables.audit.tableName,
      StatementsTableName: tables.statements.tableName,
      // Key ids, not values: scripts read the values with API Gateway's GetApiKey.
      DemoApiKeyId: api.demoApiKey.keyId,
      LoadTestApiKeyId: api.loadTestApiKey.keyId,
      SigningSecretArn: keys.signingSecret.secretArn,
      PersonalDataKeyArn: keys.personalDataKey.keyArn,
      ComplianceBusName: compliance.bus.eventBusName,
      ComplianceQueueUrl: compliance.queue.queue.queueUrl,
    };
    for (const [name, value] of Object.entries(outputs)) new CfnOutput(this, name, { value });
  }
}
