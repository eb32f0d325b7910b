import { parseScheduleExpression } from "../scheduler/schedule-expression.ts";
import { ruleArn } from "../scheduler/scheduled-event.ts";
import { createPatternRule } from "./event-bus-handlers.ts";
import type { CreatedResource, HandlerInput } from "./resource-handlers.ts";

interface RuleTarget {
  readonly Arn?: string;
  readonly Id?: string;
  readonly Input?: string;
}

const LAMBDA_ARN = /^arn:aws:lambda:[^:]+:[^:]+:function:([^:]+)/;

/**
 * An EventBridge rule. Event-pattern rules run on the local cloud's EventBridge with their
 * SQS and Lambda targets; scheduled rules with `rate(...)` and Lambda targets run on the
 * scheduler; anything else (cron, other targets, no scheduler) is accepted and reported
 * as not emulated, with the reason in the log.
 */
export async function createRule(input: HandlerInput): Promise<CreatedResource> {
  const { properties, physicalName, targets, logicalId } = input;
  const name = (properties.Name as string | undefined) ?? physicalName(64);
  if (properties.EventPattern !== undefined && properties.ScheduleExpression === undefined && targets.events) {
    return createPatternRule(input, targets.events, name);
  }
  const created = { ref: name, attributes: { Arn: ruleArn(targets.ctx, name) } };
  const notRun = (reason: string): CreatedResource => {
    targets.ctx.log("deploy", `${logicalId}: ${reason}; the rule is accepted but not run`);
    return { ...created, emulated: false };
  };

  const expression = properties.ScheduleExpression as string | undefined;
  if (expression === undefined) return notRun(properties.EventPattern === undefined ? "a rule needs a schedule or an event pattern" : "no EventBridge is running");
  // A malformed expression is a template error, as CloudFormation would report it.
  if (parseScheduleExpression(expression).kind !== "rate") return notRun(`${expression} is not emulated (only rate(...) is)`);
  if (!targets.scheduler) return notRun("no scheduler is running");
  if (properties.State === "DISABLED") return created;

  const lambdaTargets = ((properties.Targets as RuleTarget[] | undefined) ?? []).filter((target) => LAMBDA_ARN.test(target.Arn ?? ""));
  const others = ((properties.Targets as RuleTarget[] | undefined) ?? []).length - lambdaTargets.length;
  for (const target of lambdaTargets) {
    const functionName = LAMBDA_ARN.exec(target.Arn ?? "")?.[1] ?? "";
    targets.scheduler.addSchedule({ name, expression, functionName, ...(target.Input === undefined ? {} : { input: target.Input }) });
  }
  if (others > 0) return notRun(`${others} target(s) that are not Lambda functions`);
  return created;
}
