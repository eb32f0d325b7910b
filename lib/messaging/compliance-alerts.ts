import { Duration } from "aws-cdk-lib";
import { EventBus, Rule } from "aws-cdk-lib/aws-events";
import { LambdaFunction, SqsQueue } from "aws-cdk-lib/aws-events-targets";
import type { IGrantable, Grant } from "aws-cdk-lib/aws-iam";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { complianceThresholds, DEFAULT_BRL_THRESHOLD, DEFAULT_USD_THRESHOLD, InvalidThresholdError } from "../../domain/compliance.ts";
import { LARGE_ORDER_DETAIL_TYPE, LARGE_ORDER_SOURCE } from "../../domain/large-order-event.ts";
import { ENV } from "../../functions/shared/env-names.ts";
import { BrokerageFunction } from "../compute/brokerage-function.ts";
import { QueueWithDeadLetterQueue } from "./queue-with-dead-letter-queue.ts";

export interface ComplianceAlertsProps {
  /**
   * Notional above which a BRL order raises an alert, a decimal.
   * @default "100000.00"
   */
  readonly brlThreshold?: string;
  /**
   * Notional above which a USD order raises an alert, a decimal. A fixed setting, not a
   * conversion of the BRL figure (see docs/compliance.md).
   * @default "20000.00"
   */
  readonly usdThreshold?: string;
}

/**
 * Large-order alerts: a custom EventBridge bus and one rule on it that hands every
 * `LargeOrderExecuted` event to the compliance queue (for the back office) and to
 * log-compliance-alert (one WARN line). Events the targets could not be given land in
 * the delivery dead-letter queue. A function that raises alerts takes `environment`
 * and `grantRaise`.
 */
export class ComplianceAlerts extends Construct {
  public readonly bus: EventBus;
  public readonly rule: Rule;
  /** Where the back office reads the alerts from. */
  public readonly queue: QueueWithDeadLetterQueue;
  /** Events EventBridge failed to deliver to either target, after its retries. */
  public readonly deliveryDeadLetterQueue: Queue;
  public readonly logFunction: BrokerageFunction;
  /** What a raiser needs in its environment: the bus name and both thresholds. */
  public readonly environment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ComplianceAlertsProps = {}) {
    super(scope, id);
    const brl = props.brlThreshold ?? DEFAULT_BRL_THRESHOLD;
    const usd = props.usdThreshold ?? DEFAULT_USD_THRESHOLD;
    try {
      complianceThresholds({ BRL: brl, USD: usd });
    } catch (error) {
      if (error instanceof InvalidThresholdError) throw new Error(`ComplianceAlerts: ${error.message}`);
      throw error;
    }

    this.bus = new EventBus(this, "Bus", { description: "Compliance alerts: executed orders above the large-order threshold" });
    this.queue = new QueueWithDeadLetterQueue(this, "Queue");
    this.deliveryDeadLetterQueue = new Queue(this, "DeliveryDeadLetterQueue", {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.logFunction = new BrokerageFunction(this, "LogAlert", {
      entryName: "log-compliance-alert",
      description: "Writes one WARN log line per large-order compliance alert",
    });
    const delivery = { deadLetterQueue: this.deliveryDeadLetterQueue };
    this.rule = new Rule(this, "LargeOrderRule", {
      eventBus: this.bus,
      description: "Sends large-order alerts to the compliance queue and the alert log",
      eventPattern: { source: [LARGE_ORDER_SOURCE], detailType: [LARGE_ORDER_DETAIL_TYPE] },
      // Each target adds its own grant: a queue policy for events.amazonaws.com, a Lambda permission.
      targets: [new SqsQueue(this.queue.queue, delivery), new LambdaFunction(this.logFunction, delivery)],
    });
    this.environment = {
      [ENV.COMPLIANCE_BUS_NAME]: this.bus.eventBusName,
      [ENV.COMPLIANCE_THRESHOLD_BRL]: brl,
      [ENV.COMPLIANCE_THRESHOLD_USD]: usd,
    };
  }

  /** Lets a function put alerts on the bus (events:PutEvents on this bus only). */
  grantRaise(grantee: IGrantable): Grant {
    return this.bus.grantPutEventsTo(grantee);
  }
}
