import type { IGrantable } from "aws-cdk-lib/aws-iam";
import { SubscriptionFilter, Topic } from "aws-cdk-lib/aws-sns";
import { SqsSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { ORDER_EVENT_TYPES, type OrderEventType } from "../../functions/shared/order-events.ts";

export interface QueueSubscriptionOptions {
  /**
   * The event types the queue receives (a filter policy on the `type` attribute).
   * @default every type
   */
  readonly types?: readonly OrderEventType[];
}

/**
 * The OrderEvents topic: each change of an order's state is published to it once, and
 * each consumer has its own queue subscribed with raw message delivery, so the queue
 * receives the event's JSON itself (and keeps its own DLQ for what fails there).
 */
export class OrderEventsTopic extends Construct {
  public readonly topic: Topic;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.topic = new Topic(this, "Topic", { displayName: "Order events", enforceSSL: true });
  }

  /** Subscribes a queue, with raw delivery, to the given event types. */
  subscribeQueue(queue: IQueue, options: QueueSubscriptionOptions = {}): void {
    const types = options.types;
    if (types !== undefined) {
      const unknown = types.filter((type) => !ORDER_EVENT_TYPES.includes(type));
      if (types.length === 0 || unknown.length > 0) throw new Error(`types must be a non-empty list of ${ORDER_EVENT_TYPES.join(", ")}, got ${JSON.stringify(types)}`);
    }
    const filterPolicy = types ? { type: SubscriptionFilter.stringFilter({ allowlist: [...types] }) } : undefined;
    this.topic.addSubscription(new SqsSubscription(queue, { rawMessageDelivery: true, ...(filterPolicy ? { filterPolicy } : {}) }));
  }

  grantPublish(grantee: IGrantable): void {
    this.topic.grantPublish(grantee);
  }
}
