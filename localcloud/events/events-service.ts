/**
 * EventBridge on the local cloud's endpoint (JSON 1.1, `X-Amz-Target: AWSEvents.*`):
 * event buses, pattern rules and their SQS and Lambda targets. PutEvents matches each
 * event against the bus's enabled rules and delivers it before answering.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { CloudContext, HttpRequest, HttpResponse, LambdaInvoker, Service } from "../types.ts";
import { EventsOperationError, invalid } from "./errors.ts";
import { DEFAULT_BUS, EventBusStore, type EventBus, type EventRule, type RuleTarget } from "./event-bus-store.ts";
import { EventDelivery, type BusEvent, type QueueSender } from "./event-delivery.ts";
import { matchesEventPattern } from "./event-pattern.ts";

const CONTENT_TYPE = "application/x-amz-json-1.1";

type Input = Record<string, unknown>;

const optionalString = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** A bus named by name or by ARN (`…:event-bus/orders`); none means the default bus. */
function busNameOf(value: unknown): string {
  const text = optionalString(value) ?? DEFAULT_BUS;
  return text.startsWith("arn:") ? (text.split(":event-bus/")[1] ?? text) : text;
}

function required(input: Input, name: string): string {
  const value = input[name];
  if (typeof value !== "string" || value === "") throw invalid(`1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`);
  return value;
}

export class EventsService implements Service {
  readonly store: EventBusStore;
  private readonly delivery: EventDelivery;

  constructor(private readonly ctx: CloudContext, queues: QueueSender, lambda: LambdaInvoker, options: { inMemory?: boolean } = {}) {
    this.store = new EventBusStore(options.inMemory ? undefined : join(ctx.dataDir, "events", "event-buses.json"));
    this.delivery = new EventDelivery(ctx, queues, lambda);
  }

  busArn(name: string): string {
    return `arn:aws:events:${this.ctx.region}:${this.ctx.accountId}:event-bus/${name}`;
  }

  ruleArn(busName: string, ruleName: string): string {
    const path = busName === DEFAULT_BUS ? ruleName : `${busName}/${ruleName}`;
    return `arn:aws:events:${this.ctx.region}:${this.ctx.accountId}:rule/${path}`;
  }

  async handle(request: HttpRequest): Promise<HttpResponse> {
    const target = String(request.headers["x-amz-target"] ?? "");
    const action = target.slice(target.indexOf(".") + 1);
    try {
      const parsed: unknown = request.body.length === 0 ? {} : JSON.parse(request.body.toString("utf8"));
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new EventsOperationError("SerializationException", "The request body must be a JSON object.");
      const output = await this.call(action, parsed as Input);
      return { statusCode: 200, headers: { "content-type": CONTENT_TYPE }, body: JSON.stringify(output) };
    } catch (error) {
      const known = error instanceof SyntaxError ? new EventsOperationError("SerializationException", "The request body is not valid JSON.") : error;
      if (!(known instanceof EventsOperationError)) throw error;
      return { statusCode: known.statusCode, headers: { "content-type": CONTENT_TYPE, "x-amzn-ErrorType": known.code }, body: JSON.stringify({ __type: known.code, message: known.awsMessage }) };
    }
  }

  async call(action: string, input: Input): Promise<unknown> {
    const store = this.store;
    const busName = busNameOf(input["EventBusName"]);
    switch (action) {
      case "CreateEventBus": {
        const name = required(input, "Name");
        if (!store.createBus(name, optionalString(input["Description"]))) throw new EventsOperationError("ResourceAlreadyExistsException", `Event bus ${name} already exists.`);
        return { EventBusArn: this.busArn(name) };
      }
      case "DeleteEventBus":
        store.deleteBus(required(input, "Name"));
        return {};
      case "DescribeEventBus":
        return this.describeBus(store.bus(busNameOf(input["Name"])));
      case "ListEventBuses": {
        const prefix = optionalString(input["NamePrefix"]) ?? "";
        return { EventBuses: store.listBuses().filter((bus) => bus.name.startsWith(prefix)).map((bus) => this.describeBus(bus)) };
      }
      case "PutEvents":
        return this.putEvents(input);
      case "PutRule":
        return { RuleArn: this.putRule(input, busName) };
      case "DescribeRule":
        return this.describeRule(store.rule(busName, required(input, "Name")));
      case "ListRules": {
        const prefix = optionalString(input["NamePrefix"]) ?? "";
        store.bus(busName);
        return { Rules: store.rulesOf(busName).filter((rule) => rule.name.startsWith(prefix)).map((rule) => this.describeRule(rule)) };
      }
      case "EnableRule":
      case "DisableRule": {
        const rule = store.rule(busName, required(input, "Name"));
        store.putRule({ ...rule, state: action === "EnableRule" ? "ENABLED" : "DISABLED" });
        return {};
      }
      case "DeleteRule":
        store.deleteRule(busName, required(input, "Name"), input["Force"] === true);
        return {};
      case "PutTargets": {
        const targets = Array.isArray(input["Targets"]) ? (input["Targets"] as RuleTarget[]) : [];
        if (targets.some((target) => typeof target.Id !== "string" || typeof target.Arn !== "string")) throw invalid("Every target needs an Id and an Arn.");
        store.putTargets(busName, required(input, "Rule"), targets.map(keepTargetFields));
        return { FailedEntryCount: 0, FailedEntries: [] };
      }
      case "ListTargetsByRule":
        return { Targets: store.rule(busName, required(input, "Rule")).targets };
      case "RemoveTargets": {
        const ids = Array.isArray(input["Ids"]) ? input["Ids"].map(String) : [];
        store.removeTargets(busName, required(input, "Rule"), ids);
        return { FailedEntryCount: 0, FailedEntries: [] };
      }
      default:
        throw new EventsOperationError("UnknownOperationException", `EventBridge action ${action || "(none)"} is not emulated by the local cloud`);
    }
  }

  /** Creates or updates a rule; its pattern is checked as PutRule checks it. */
  putRule(input: Input, busName: string = busNameOf(input["EventBusName"])): string {
    const name = required(input, "Name");
    const eventPattern = optionalString(input["EventPattern"]);
    const scheduleExpression = optionalString(input["ScheduleExpression"]);
    const description = optionalString(input["Description"]);
    this.store.putRule({
      name,
      busName,
      state: input["State"] === "DISABLED" ? "DISABLED" : "ENABLED",
      ...(eventPattern === undefined ? {} : { eventPattern }),
      ...(scheduleExpression === undefined ? {} : { scheduleExpression }),
      ...(description === undefined ? {} : { description }),
    });
    return this.ruleArn(busName, name);
  }

  async stop(): Promise<void> {}

  private async putEvents(input: Input): Promise<unknown> {
    const entries = Array.isArray(input["Entries"]) ? (input["Entries"] as Input[]) : [];
    if (entries.length === 0 || entries.length > 10) throw invalid("Entries must hold between 1 and 10 events.");
    const results = await Promise.all(entries.map((entry) => this.putEvent(entry)));
    return { FailedEntryCount: results.filter((result) => "ErrorCode" in result).length, Entries: results };
  }

  private async putEvent(entry: Input): Promise<{ EventId: string } | { ErrorCode: string; ErrorMessage: string }> {
    const busName = busNameOf(entry["EventBusName"]);
    for (const field of ["Source", "DetailType", "Detail"]) {
      if (typeof entry[field] !== "string") return { ErrorCode: "InvalidArgument", ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.` };
    }
    let detail: unknown;
    try {
      detail = JSON.parse(String(entry["Detail"]));
    } catch {
      return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
    }
    if (typeof detail !== "object" || detail === null || Array.isArray(detail)) return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
    if (!this.store.hasBus(busName)) return { ErrorCode: "InvalidArgument", ErrorMessage: `Event bus ${busName} does not exist.` };
    const time = entry["Time"] === undefined ? new Date() : new Date(entry["Time"] as string | number);
    const event: BusEvent = {
      version: "0",
      id: randomUUID(),
      "detail-type": String(entry["DetailType"]),
      source: String(entry["Source"]),
      account: this.ctx.accountId,
      // EventBridge gives whole seconds.
      time: (Number.isNaN(time.getTime()) ? new Date() : time).toISOString().replace(/\.\d{3}Z$/, "Z"),
      region: this.ctx.region,
      resources: Array.isArray(entry["Resources"]) ? entry["Resources"].map(String) : [],
      detail,
    };
    const matched = this.store.patternRules(busName).filter(({ pattern }) => matchesEventPattern(pattern, event));
    await Promise.all(matched.map(({ rule }) => this.delivery.deliver(rule, event, this.ruleArn(rule.busName, rule.name))));
    return { EventId: event.id };
  }

  private describeBus(bus: EventBus) {
    return {
      Name: bus.name,
      Arn: this.busArn(bus.name),
      ...(bus.description === undefined ? {} : { Description: bus.description }),
      CreationTime: new Date(bus.createdAt).getTime() / 1000,
    };
  }

  private describeRule(rule: EventRule) {
    return {
      Name: rule.name,
      Arn: this.ruleArn(rule.busName, rule.name),
      EventBusName: rule.busName,
      State: rule.state,
      ...(rule.eventPattern === undefined ? {} : { EventPattern: rule.eventPattern }),
      ...(rule.scheduleExpression === undefined ? {} : { ScheduleExpression: rule.scheduleExpression }),
      ...(rule.description === undefined ? {} : { Description: rule.description }),
    };
  }
}

/** The target fields that are run; others (role ARNs, retry policies) are dropped. */
function keepTargetFields(target: RuleTarget): RuleTarget {
  return {
    Id: target.Id,
    Arn: target.Arn,
    ...(target.Input === undefined ? {} : { Input: target.Input }),
    ...(target.InputPath === undefined ? {} : { InputPath: target.InputPath }),
    ...(target.SqsParameters === undefined ? {} : { SqsParameters: target.SqsParameters }),
    ...(target.DeadLetterConfig?.Arn === undefined ? {} : { DeadLetterConfig: { Arn: target.DeadLetterConfig.Arn } }),
  };
}
