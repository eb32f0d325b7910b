/** Alarms, their state and history, evaluated every few seconds on the trailing windows. */
import { readJsonFile, writeJsonFile } from "../json-file.ts";
import type { AlarmStateValue } from "../monitoring/monitoring-view.ts";
import { type AlarmDefinition, alarmDatapoints } from "./alarm-definition.ts";
import { decideState } from "./alarm-rules.ts";
import type { MetricStore } from "./metric-store.ts";

export interface AlarmRecord {
  readonly definition: AlarmDefinition;
  readonly arn: string;
  readonly state: AlarmStateValue;
  readonly reason: string;
  /** JSON with the evaluated datapoints, as CloudWatch's StateReasonData. */
  readonly reasonData?: string;
  readonly stateUpdatedAt: Date;
  readonly configurationUpdatedAt: Date;
}

export interface AlarmHistoryItem {
  readonly alarmName: string;
  readonly timestamp: Date;
  readonly historyItemType: "ConfigurationUpdate" | "StateUpdate";
  readonly summary: string;
  readonly data: string;
}

/** The file's shape: dates as ISO text. */
interface SavedAlarms {
  readonly alarms: readonly (Omit<AlarmRecord, "stateUpdatedAt" | "configurationUpdatedAt"> & { stateUpdatedAt: string; configurationUpdatedAt: string })[];
  readonly history: readonly (Omit<AlarmHistoryItem, "timestamp"> & { timestamp: string })[];
}

/** CloudWatch keeps 14 days of history; here the last entries are enough. */
const HISTORY_LIMIT = 1000;

export class AlarmStore {
  private readonly alarms = new Map<string, AlarmRecord>();
  private readonly historyItems: AlarmHistoryItem[] = [];

  /** With a file, alarms (their state too) and their history are kept there and read back at start. */
  constructor(
    private readonly metrics: MetricStore,
    private readonly arnOf: (name: string) => string,
    private readonly now: () => number = Date.now,
    private readonly file?: string,
  ) {
    const saved = file === undefined ? undefined : readJsonFile<SavedAlarms>(file);
    for (const alarm of saved?.alarms ?? []) {
      this.alarms.set(alarm.definition.name, { ...alarm, stateUpdatedAt: new Date(alarm.stateUpdatedAt), configurationUpdatedAt: new Date(alarm.configurationUpdatedAt) });
    }
    for (const item of saved?.history ?? []) this.historyItems.push({ ...item, timestamp: new Date(item.timestamp) });
  }

  private save(): void {
    if (this.file !== undefined) writeJsonFile(this.file, { alarms: [...this.alarms.values()], history: this.historyItems });
  }

  /** Creates or replaces an alarm; a new one starts in INSUFFICIENT_DATA, a replaced one keeps its state. */
  put(definition: AlarmDefinition): AlarmRecord {
    const existing = this.alarms.get(definition.name);
    const at = new Date(this.now());
    const record: AlarmRecord = existing
      ? { ...existing, definition, configurationUpdatedAt: at }
      : { definition, arn: this.arnOf(definition.name), state: "INSUFFICIENT_DATA", reason: "Unchecked: Initial alarm creation", stateUpdatedAt: at, configurationUpdatedAt: at };
    this.alarms.set(definition.name, record);
    this.record(definition.name, at, "ConfigurationUpdate", `Alarm "${definition.name}" ${existing ? "updated" : "created"}`, JSON.stringify({ type: existing ? "Update" : "Create" }));
    this.evaluateOne(definition.name);
    this.save();
    return this.alarms.get(definition.name) ?? record;
  }

  delete(name: string): boolean {
    const deleted = this.alarms.delete(name);
    if (deleted) this.record(name, new Date(this.now()), "ConfigurationUpdate", `Alarm "${name}" deleted`, JSON.stringify({ type: "Delete" }));
    if (deleted) this.save();
    return deleted;
  }

  get(name: string): AlarmRecord | undefined {
    return this.alarms.get(name);
  }

  /** Sorted by name, as DescribeAlarms answers. */
  list(): AlarmRecord[] {
    return [...this.alarms.values()].sort((a, b) => (a.definition.name < b.definition.name ? -1 : 1));
  }

  /** Newest first. */
  history(name?: string): AlarmHistoryItem[] {
    return this.historyItems.filter((item) => name === undefined || item.alarmName === name).reverse();
  }

  /** SetAlarmState: holds until the next evaluation decides otherwise. */
  setState(name: string, state: AlarmStateValue, reason: string, reasonData?: string): boolean {
    if (!this.alarms.has(name)) return false;
    this.transition(name, state, reason, reasonData);
    return true;
  }

  /** Evaluates every alarm now. */
  evaluate(): void {
    for (const name of [...this.alarms.keys()]) this.evaluateOne(name);
  }

  private evaluateOne(name: string): void {
    const record = this.alarms.get(name);
    if (record === undefined) return;
    const now = this.now();
    let decision;
    try {
      const datapoints = alarmDatapoints(record.definition, this.metrics, now);
      decision = decideState(datapoints, record.definition);
      if (decision === undefined || decision.state === record.state) return;
      const reasonData = JSON.stringify({
        version: "1.0",
        queryDate: new Date(now).toISOString(),
        recentDatapoints: datapoints.filter((value) => value !== undefined),
        threshold: record.definition.threshold,
        evaluatedDatapoints: datapoints.length,
      });
      this.transition(name, decision.state, decision.reason, reasonData);
    } catch (error) {
      // A metric-math error leaves the alarm without data, with the error as its reason.
      const reason = `Unchecked: ${error instanceof Error ? error.message : String(error)}`;
      if (record.state !== "INSUFFICIENT_DATA" || record.reason !== reason) this.transition(name, "INSUFFICIENT_DATA", reason);
    }
  }

  private transition(name: string, state: AlarmStateValue, reason: string, reasonData?: string): void {
    const record = this.alarms.get(name);
    if (record === undefined) return;
    const at = new Date(this.now());
    this.alarms.set(name, { ...record, state, reason, ...(reasonData === undefined ? {} : { reasonData }), stateUpdatedAt: at });
    const data = JSON.stringify({ version: "1.0", oldState: { stateValue: record.state, stateReason: record.reason }, newState: { stateValue: state, stateReason: reason } });
    this.record(name, at, "StateUpdate", `Alarm updated from ${record.state} to ${state}`, data);
    this.save();
  }

  private record(alarmName: string, timestamp: Date, historyItemType: AlarmHistoryItem["historyItemType"], summary: string, data: string): void {
    this.historyItems.push({ alarmName, timestamp, historyItemType, summary, data });
    if (this.historyItems.length > HISTORY_LIMIT) this.historyItems.splice(0, this.historyItems.length - HISTORY_LIMIT);
  }
}
