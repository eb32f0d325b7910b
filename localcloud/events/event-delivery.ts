/**
 * Hands a matched event to a rule's targets, as EventBridge does: SQS queues get the
 * event's JSON as a message, Lambda functions are invoked asynchronously with it.
 * `Input` replaces the event with constant JSON, `InputPath` selects part of it.
 * An event a target cannot take goes to the target's dead-letter queue, when it has one,
 * at once: EventBridge would first retry for up to a day, which a local run never waits for.
 */
import type { CloudContext, LambdaInvoker } from "../types.ts";
import type { EventRule, RuleTarget } from "./event-bus-store.ts";

/** Sends one message to a queue named by its ARN. */
export interface QueueSender {
  sendMessage(queueArn: string, body: string, fifo?: { groupId: string; deduplicationId: string }, attributes?: Readonly<Record<string, string>>): Promise<void>;
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
  async deliver(rule: EventRule, event: BusEvent, ruleArn: string): Promise<void> {
    await Promise.all(
      rule.targets.map((target) =>
        this.deliverTo(target, event).catch(async (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          this.ctx.log("events", `${rule.name}: delivering ${event.id} to ${target.Arn} failed: ${message}`);
          await this.deadLetter(target, event, { ruleArn, message });
        }),
      ),
    );
  }

  /** The whole event, with the attributes EventBridge sets (the error code is always SDK_CLIENT_ERROR here). */
  private async deadLetter(target: RuleTarget, event: BusEvent, failure: { ruleArn: string; message: string }): Promise<void> {
    const queueArn = target.DeadLetterConfig?.Arn;
    if (queueArn === undefined) return;
    const attributes = { RULE_ARN: failure.ruleArn, TARGET_ARN: target.Arn, ERROR_CODE: "SDK_CLIENT_ERROR", ERROR_MESSAGE: failure.message.slice(0, 256) };
    await this.queues.sendMessage(queueArn, JSON.stringify(event), undefined, attributes).catch((error: unknown) => {
      this.ctx.log("events", `dead-lettering ${event.id} to ${queueArn} failed, the event is dropped: ${error instanceof Error ? error.message : String(error)}`);
    });
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
