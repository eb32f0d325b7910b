/** Invocations, errors and recent durations per function since the cloud started. */
import { percentileOf } from "./statistics.ts";

const RECENT_DURATIONS = 1000;

interface Activity {
  invocations: number;
  errors: number;
  /** A ring of the last durations, in milliseconds. */
  readonly durations: number[];
  next: number;
}

export interface ActivitySummary {
  readonly invocations: number;
  readonly errors: number;
  readonly durationMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

export class FunctionActivityLog {
  private readonly byFunction = new Map<string, Activity>();

  record(functionName: string, durationMs: number, failed: boolean): void {
    let activity = this.byFunction.get(functionName);
    if (activity === undefined) {
      activity = { invocations: 0, errors: 0, durations: [], next: 0 };
      this.byFunction.set(functionName, activity);
    }
    activity.invocations++;
    if (failed) activity.errors++;
    if (activity.durations.length < RECENT_DURATIONS) activity.durations.push(durationMs);
    else activity.durations[activity.next] = durationMs;
    activity.next = (activity.next + 1) % RECENT_DURATIONS;
  }

  /** Zeros for a function not invoked yet. */
  summary(functionName: string): ActivitySummary {
    const activity = this.byFunction.get(functionName);
    const durations = activity?.durations ?? [];
    const round = (value: number | undefined) => Math.round((value ?? 0) * 100) / 100;
    return {
      invocations: activity?.invocations ?? 0,
      errors: activity?.errors ?? 0,
      durationMs: { p50: round(percentileOf(durations, 50)), p99: round(percentileOf(durations, 99)), max: round(durations.reduce((a, b) => Math.max(a, b), 0)) },
    };
  }
}
