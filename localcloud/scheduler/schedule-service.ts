/**
 * The local cloud's EventBridge schedules: each rate rule invokes its Lambda target
 * asynchronously, as EventBridge does, on a timer. Knows nothing of what it runs.
 */
import type { CloudContext, InvokeResult, LambdaInvoker } from "../types.ts";
import { parseScheduleExpression } from "./schedule-expression.ts";
import { scheduledEvent } from "./scheduled-event.ts";

export interface ScheduleDefinition {
  /** The rule's name, used in the event's `resources` ARN. */
  readonly name: string;
  /** `rate(N unit)`; `cron(...)` is refused with UnsupportedScheduleError. */
  readonly expression: string;
  readonly functionName: string;
  /** The target's constant input (JSON text); without it the target gets a "Scheduled Event". */
  readonly input?: string;
}

export class UnsupportedScheduleError extends Error {
  override readonly name = "UnsupportedScheduleError";
}

export class UnknownScheduleError extends Error {
  override readonly name = "UnknownScheduleError";
}

interface ActiveSchedule {
  readonly definition: ScheduleDefinition;
  readonly timer: NodeJS.Timeout;
}

export class ScheduleService {
  private readonly schedules = new Map<string, ActiveSchedule>();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly ctx: CloudContext,
    private readonly lambda: LambdaInvoker,
  ) {}

  /**
   * Starts a schedule; the same rule and function again (a redeploy) replaces it. One rule
   * may target several functions. Its first run is one interval from now, as on EventBridge.
   */
  addSchedule(definition: ScheduleDefinition): void {
    const parsed = parseScheduleExpression(definition.expression);
    if (parsed.kind !== "rate") throw new UnsupportedScheduleError(`${definition.name}: ${definition.expression} is not emulated; only rate(...) is`);
    const key = `${definition.name}\u0000${definition.functionName}`;
    this.remove(key);
    const timer = setInterval(() => void this.fire(definition).catch(() => {}), parsed.intervalMs);
    this.schedules.set(key, { definition, timer });
    this.ctx.log("scheduler", `${definition.name}: ${definition.expression} → ${definition.functionName}`);
  }

  /** Stops every schedule of the named rule (the rule was deleted). */
  removeRule(name: string): void {
    for (const [key, schedule] of [...this.schedules]) if (schedule.definition.name === name) this.remove(key);
  }

  list(): readonly ScheduleDefinition[] {
    return [...this.schedules.values()].map((schedule) => schedule.definition);
  }

  /** Fires the named rule's schedules (or every one) now, without waiting for the interval; for tests and operators. */
  async tick(name?: string): Promise<InvokeResult[]> {
    const due = [...this.schedules.values()].filter((schedule) => name === undefined || schedule.definition.name === name);
    if (name !== undefined && due.length === 0) throw new UnknownScheduleError(`no schedule named ${name}`);
    return Promise.all(due.map((schedule) => this.fire(schedule.definition)));
  }

  async stop(): Promise<void> {
    for (const key of [...this.schedules.keys()]) this.remove(key);
    await Promise.allSettled([...this.inFlight]);
  }

  private remove(key: string): void {
    const existing = this.schedules.get(key);
    if (existing) clearInterval(existing.timer);
    this.schedules.delete(key);
  }

  private fire(definition: ScheduleDefinition): Promise<InvokeResult> {
    const payload = definition.input ?? JSON.stringify(scheduledEvent(this.ctx, definition.name, new Date()));
    const invocation = this.lambda.invoke(definition.functionName, payload, { invocationType: "Event" }).catch((error: unknown) => {
      // EventBridge keeps the schedule going when one delivery fails; so do we.
      this.ctx.log("scheduler", `${definition.name}: invoking ${definition.functionName} failed: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    });
    this.inFlight.add(invocation);
    void invocation.finally(() => this.inFlight.delete(invocation)).catch(() => {});
    return invocation;
  }
}
