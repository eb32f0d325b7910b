/**
 * Hands a matched event to a rule's targets, as EventBridge does: SQS queues get the
 * event's JSON as a message, Lambda functions are invoked asynchronously with it.
 * `Input` replaces the event with constant JSON, `InputPath` selects part of it.
 */
import type { CloudContext, LambdaInvoker } from "../types.ts";
import type { EventRule, RuleTarget } from "./event-bus-store.ts";

/** Sends one message to a queue named by its ARN. */
export interface QueueSender {
  sendMessage(queueArn: string, body: string, fifo?: { groupId: string; deduplicationId: string }): Promise<void>;
}

export interface BusEvent {
  readonly version: "0";
  readonly id: string;
  readonly "detail-type": string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
}

const LAMBDA_ARN = /^arn:aws:lambda:[^:]+:[^:]+:function:([^:]+)/;

/** `$`, `$.detail`, `$.detail.order.id`: the dotted paths InputPath is used with. */
function selectPath(event: unknown, path: string): unknown {
  if (path === "$") return event;
  let node: unknown = event;
  for (const segment of path.replace(/^\$\.?/, "").split(".")) {
    node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[segment] : undefined;
  }
  return node;
}

export function targetPayload(target: RuleTarget, event: BusEvent): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) return JSON.stringify(selectPath(event, target.InputPath) ?? null);
  return JSON.stringify(event);
}

export class EventDelivery {
  constructor(
    private readonly ctx: CloudContext,
    private readonly queues: QueueSender,
    private readonly lambda: LambdaInvoker,
  ) {}

  /** Delivers to every target; a failed delivery is logged and does not stop the others. */
  async deliver(rule: EventRule, event: BusEvent): Promise<void> {
    await Promise.all(
      rule.targets.map((target) =>
        this.deliverTo(target, event).catch((error: unknown) => {
          this.ctx.log("events", `${rule.name}: delivering ${event.id} to ${target.Arn} failed: ${error instanceof Error ? error.message : String(error)}`);
        }),
      ),
    );
  }

  private async deliverTo(target: RuleTarget, event: BusEvent): Promise<void> {
    const payload = targetPayload(target, event);
    if (target.Arn.startsWith("arn:aws:sqs:")) {
      const groupId = target.SqsParameters?.MessageGroupId;
      await this.queues.sendMessage(target.Arn, payload, groupId === undefined ? undefined : { groupId, deduplicationId: event.id });
      return;
    }
    const functionName = LAMBDA_ARN.exec(target.Arn)?.[1];
    if (functionName !== undefined) {
      await this.lambda.invoke(functionName, payload, { invocationType: "Event" });
      return;
    }
    this.ctx.log("events", `target ${target.Arn} is not emulated (only SQS queues and Lambda functions are)`);
  }
}
