/** AWS::Events::EventBus and the event-pattern side of AWS::Events::Rule, run on the local cloud's EventBridge. */
import type { CreatedResource, DeleteInput, HandlerInput, ResourceHandler } from "./resource-handlers.ts";

interface TargetSpec {
  readonly Id: string;
  readonly Arn: string;
  readonly Input?: string;
  readonly InputPath?: string;
  readonly SqsParameters?: { readonly MessageGroupId?: string };
  readonly DeadLetterConfig?: { readonly Arn?: string };
}

/** The EventBridge operations the deployer needs; EventsService provides them. */
export interface EventsTarget {
  busArn(name: string): string;
  ruleArn(busName: string, ruleName: string): string;
  putRule(input: Record<string, unknown>, busName?: string): string;
  readonly store: {
    createBus(name: string, description?: string): boolean;
    deleteBus(name: string): void;
    rule(busName: string, ruleName: string): { readonly targets: readonly { readonly Id: string }[] };
    putTargets(busName: string, ruleName: string, targets: readonly TargetSpec[]): void;
    removeTargets(busName: string, ruleName: string, ids: readonly string[]): void;
    deleteRule(busName: string, ruleName: string, force?: boolean): void;
  };
}

/** A bus named by name or ARN; none is the default bus. */
const busNameOf = (value: unknown): string => {
  const text = typeof value === "string" && value !== "" ? value : "default";
  return text.startsWith("arn:") ? (text.split(":event-bus/")[1] ?? text) : text;
};

async function createEventBus({ properties, physicalName, targets, logicalId }: HandlerInput): Promise<CreatedResource> {
  const name = (properties.Name as string | undefined) ?? physicalName(256);
  if (!targets.events) {
    targets.ctx.log("deploy", `${logicalId}: no EventBridge is running; accepted but not run`);
    return { ref: name, attributes: { Name: name }, emulated: false };
  }
  targets.events.store.createBus(name, properties.Description as string | undefined);
  const arn = targets.events.busArn(name);
  return { ref: name, attributes: { Arn: arn, Name: name } };
}

/**
 * A rule with an EventPattern: the rule and its targets, replacing the targets it had.
 * Ref is the rule's name, or `bus|name` on a custom bus, as CloudFormation gives it.
 */
export function createPatternRule(input: HandlerInput, events: EventsTarget, name: string): CreatedResource {
  const { properties } = input;
  const busName = busNameOf(properties.EventBusName);
  const pattern = properties.EventPattern;
  const arn = events.putRule(
    {
      Name: name,
      EventPattern: typeof pattern === "string" ? pattern : JSON.stringify(pattern),
      State: properties.State === "DISABLED" ? "DISABLED" : "ENABLED",
      ...(properties.Description === undefined ? {} : { Description: properties.Description }),
    },
    busName,
  );
  const wanted = ((properties.Targets as TargetSpec[] | undefined) ?? []).map((target) => ({
    Id: String(target.Id),
    Arn: String(target.Arn),
    ...(target.Input === undefined ? {} : { Input: target.Input }),
    ...(target.InputPath === undefined ? {} : { InputPath: target.InputPath }),
    ...(target.SqsParameters === undefined ? {} : { SqsParameters: target.SqsParameters }),
    ...(target.DeadLetterConfig?.Arn === undefined ? {} : { DeadLetterConfig: { Arn: String(target.DeadLetterConfig.Arn) } }),
  }));
  const stale = events.store.rule(busName, name).targets.map((target) => target.Id).filter((id) => !wanted.some((target) => target.Id === id));
  if (stale.length > 0) events.store.removeTargets(busName, name, stale);
  if (wanted.length > 0) events.store.putTargets(busName, name, wanted);
  return { ref: busName === "default" ? name : `${busName}|${name}`, attributes: { Arn: arn } };
}

/** Deletes the rule wherever it runs: on a bus (a pattern rule) or on the scheduler. */
export async function deleteRule({ physicalId, properties, targets }: DeleteInput): Promise<void> {
  const name = physicalId.includes("|") ? (physicalId.split("|")[1] ?? physicalId) : physicalId;
  targets.scheduler?.removeRule(name);
  if (properties.EventPattern !== undefined) targets.events?.store.deleteRule(busNameOf(properties.EventBusName), name, true);
}

export const EVENT_BUS_HANDLERS: Readonly<Record<string, ResourceHandler>> = {
  "AWS::Events::EventBus": { create: createEventBus, delete: async ({ physicalId, targets }: DeleteInput) => targets.events?.store.deleteBus(physicalId) },
};
