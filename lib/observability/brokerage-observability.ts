import { Aspects, Stack, type IAspect } from "aws-cdk-lib";
import type { Alarm, IAlarmAction } from "aws-cdk-lib/aws-cloudwatch";
import { Queue } from "aws-cdk-lib/aws-sqs";
import { Construct, type IConstruct } from "constructs";
import { BrokerageFunction } from "../compute/brokerage-function.ts";
import { QueueWithDeadLetterQueue } from "../messaging/queue-with-dead-letter-queue.ts";
import { backlogAlarm, deadLetterAlarm, errorRateAlarm, queueAlarms } from "./alarms.ts";
import { BrokerageDashboard } from "./dashboard.ts";

export interface BrokerageObservabilityProps {
  /**
   * What alarm and dashboard names start with.
   * @default the stack's name
   */
  readonly namePrefix?: string;
  /**
   * What every alarm does when it goes off, e.g. `new SnsAction(topic)` to notify an on-call topic.
   * @default none: the alarms show on the dashboard and in the console only
   */
  readonly alarmActions?: readonly IAlarmAction[];
}

/** "Orders" for Stack/Orders, "Events-Audit" for Stack/Events/Audit: readable and stable. */
function labelOf(node: IConstruct, stack: Stack): string {
  return node.node.path.slice(stack.node.path.length).split("/").filter(Boolean).join("-");
}

/** A queue made on its own is taken for a dead-letter queue when its construct id says so. */
const isDeadLetterQueueId = (id: string): boolean => /DeadLetterQueue$|Dlq$/i.test(id);

/**
 * Alarms and the dashboard of the whole stack. Every QueueWithDeadLetterQueue gets a
 * backlog alarm and a dead-letter alarm, every BrokerageFunction an error-rate alarm,
 * and each shows on the dashboard. A queue made on its own (an EventBridge target's
 * dead-letter queue, say) gets the dead-letter alarm when its id ends in DeadLetterQueue
 * or Dlq, the backlog alarm otherwise. They are found in the construct tree when the app is
 * synthesized (an aspect), so a queue or function declared anywhere in the stack, before
 * or after this construct, is covered without a change here.
 */
export class BrokerageObservability extends Construct {
  readonly alarms: Alarm[] = [];
  readonly dashboard: BrokerageDashboard;
  private readonly observed = new Set<IConstruct>();

  constructor(scope: Construct, id: string, props: BrokerageObservabilityProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const prefix = props.namePrefix ?? stack.stackName;
    if (!/^[A-Za-z0-9_-]{1,200}$/.test(prefix)) throw new Error(`namePrefix must be letters, digits, "-" or "_" (at most 200), got "${prefix}"`);
    this.dashboard = new BrokerageDashboard(this, "Dashboard", prefix, this.alarms);
    const raise = (...alarms: Alarm[]) => {
      for (const alarm of alarms) alarm.addAlarmAction(...(props.alarmActions ?? []));
      this.alarms.push(...alarms);
    };
    const observe: IAspect = {
      visit: (node) => {
        if (this.observed.has(node)) return;
        const label = () => labelOf(node, stack);
        if (node instanceof QueueWithDeadLetterQueue) {
          this.observed.add(node);
          raise(...queueAlarms(this, { label: label(), prefix }, node));
          this.dashboard.addQueue(label(), node.queue);
          this.dashboard.addDeadLetterQueue(label(), node.deadLetterQueue);
        } else if (node instanceof Queue && !(node.node.scope instanceof QueueWithDeadLetterQueue)) {
          this.observed.add(node);
          const deadLetters = isDeadLetterQueueId(node.node.id);
          raise((deadLetters ? deadLetterAlarm : backlogAlarm)(this, { label: label(), prefix }, node));
          if (deadLetters) this.dashboard.addDeadLetterQueue(label(), node);
          else this.dashboard.addQueue(label(), node);
        } else if (node instanceof BrokerageFunction) {
          this.observed.add(node);
          raise(errorRateAlarm(this, { label: label(), prefix }, node));
          this.dashboard.addFunction(label(), node);
        }
      },
    };
    Aspects.of(stack).add(observe);
  }
}
