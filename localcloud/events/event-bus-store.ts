/**
 * Event buses, their rules and the rules' targets, kept in memory and, unless the
 * cloud runs in memory, written through to one JSON file so they survive a restart.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { invalid, notFound } from "./errors.ts";
import { parseEventPattern, type Pattern } from "./event-pattern.ts";

export const DEFAULT_BUS = "default";

export interface EventBus {
  readonly name: string;
  readonly description?: string;
  readonly createdAt: string;
}

export interface RuleTarget {
  readonly Id: string;
  readonly Arn: string;
  /** Constant JSON text handed to the target instead of the event. */
  readonly Input?: string;
  /** A JSONPath (`$.detail`) selecting the part of the event handed to the target. */
  readonly InputPath?: string;
  /** For FIFO queue targets. */
  readonly SqsParameters?: { readonly MessageGroupId?: string };
  /** The SQS queue that gets the event when it cannot be delivered to this target. */
  readonly DeadLetterConfig?: { readonly Arn?: string };
}

export interface EventRule {
  readonly name: string;
  readonly busName: string;
  readonly eventPattern?: string;
  readonly scheduleExpression?: string;
  readonly state: "ENABLED" | "DISABLED";
  readonly description?: string;
  readonly targets: readonly RuleTarget[];
}

interface SavedState {
  readonly buses: readonly EventBus[];
  readonly rules: readonly EventRule[];
}

const ruleKey = (busName: string, ruleName: string): string => `${busName}/${ruleName}`;

export class EventBusStore {
  private readonly buses = new Map<string, EventBus>();
  private readonly rules = new Map<string, EventRule>();
  private readonly patterns = new Map<string, Pattern>();

  /** Without a file, nothing is kept between runs. */
  constructor(private readonly file?: string) {
    if (file !== undefined) this.load(file);
    if (!this.buses.has(DEFAULT_BUS)) this.buses.set(DEFAULT_BUS, { name: DEFAULT_BUS, createdAt: new Date(0).toISOString() });
  }

  bus(name: string): EventBus {
    const bus = this.buses.get(name);
    if (!bus) throw notFound(`Event bus ${name}`);
    return bus;
  }

  hasBus(name: string): boolean {
    return this.buses.has(name);
  }

  listBuses(): readonly EventBus[] {
    return [...this.buses.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Returns false when the bus already exists (left as it is). */
  createBus(name: string, description?: string): boolean {
    if (this.buses.has(name)) return false;
    this.buses.set(name, { name, createdAt: new Date().toISOString(), ...(description === undefined ? {} : { description }) });
    this.save();
    return true;
  }

  /** Deletes a custom bus and its rules; the default bus stays. */
  deleteBus(name: string): void {
    if (name === DEFAULT_BUS) throw invalid("Cannot delete event bus default.");
    if (!this.buses.delete(name)) return;
    for (const rule of this.rulesOf(name)) this.forget(rule);
    this.save();
  }

  rule(busName: string, ruleName: string): EventRule {
    const rule = this.rules.get(ruleKey(busName, ruleName));
    if (!rule) throw notFound(`Rule ${ruleName} on EventBus ${busName}`);
    return rule;
  }

  rulesOf(busName: string): readonly EventRule[] {
    return [...this.rules.values()].filter((rule) => rule.busName === busName).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Creates or replaces a rule, keeping its targets; its pattern is checked first. */
  putRule(rule: Omit<EventRule, "targets">): EventRule {
    this.bus(rule.busName);
    if (rule.eventPattern === undefined && rule.scheduleExpression === undefined) throw invalid("Parameter(s) EventPattern or ScheduleExpression must be specified.");
    const pattern = rule.eventPattern === undefined ? undefined : parseEventPattern(rule.eventPattern);
    const key = ruleKey(rule.busName, rule.name);
    const stored: EventRule = { ...rule, targets: this.rules.get(key)?.targets ?? [] };
    this.rules.set(key, stored);
    if (pattern) this.patterns.set(key, pattern);
    else this.patterns.delete(key);
    this.save();
    return stored;
  }

  /** Adds targets, replacing those with the same Id. */
  putTargets(busName: string, ruleName: string, targets: readonly RuleTarget[]): void {
    const rule = this.rule(busName, ruleName);
    const ids = new Set(targets.map((target) => target.Id));
    this.rules.set(ruleKey(busName, ruleName), { ...rule, targets: [...rule.targets.filter((target) => !ids.has(target.Id)), ...targets] });
    this.save();
  }

  removeTargets(busName: string, ruleName: string, ids: readonly string[]): void {
    const rule = this.rule(busName, ruleName);
    this.rules.set(ruleKey(busName, ruleName), { ...rule, targets: rule.targets.filter((target) => !ids.includes(target.Id)) });
    this.save();
  }

  /** Deletes a rule; one with targets only when forced, as EventBridge insists. */
  deleteRule(busName: string, ruleName: string, force = false): void {
    const rule = this.rules.get(ruleKey(busName, ruleName));
    if (!rule) return;
    if (rule.targets.length > 0 && !force) throw invalid("Rule can't be deleted since it has targets.");
    this.forget(rule);
    this.save();
  }

  /** The enabled pattern rules of a bus with their parsed patterns. */
  patternRules(busName: string): Array<{ rule: EventRule; pattern: Pattern }> {
    return this.rulesOf(busName).flatMap((rule) => {
      const pattern = this.patterns.get(ruleKey(busName, rule.name));
      return rule.state === "ENABLED" && pattern ? [{ rule, pattern }] : [];
    });
  }

  private forget(rule: EventRule): void {
    this.rules.delete(ruleKey(rule.busName, rule.name));
    this.patterns.delete(ruleKey(rule.busName, rule.name));
  }

  private load(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return;
    }
    const state = JSON.parse(text) as SavedState;
    for (const bus of state.buses) this.buses.set(bus.name, bus);
    for (const rule of state.rules) {
      const key = ruleKey(rule.busName, rule.name);
      this.rules.set(key, rule);
      if (rule.eventPattern !== undefined) this.patterns.set(key, parseEventPattern(rule.eventPattern));
    }
  }

  /** Written whole and renamed into place, so a crash leaves the last complete state. */
  private save(): void {
    if (this.file === undefined) return;
    const state: SavedState = { buses: [...this.buses.values()], rules: [...this.rules.values()] };
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(`${this.file}.tmp`, JSON.stringify(state, null, 2));
    renameSync(`${this.file}.tmp`, this.file);
  }
}
