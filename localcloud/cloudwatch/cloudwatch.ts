/**
 * CloudWatch's state on the local cloud: metrics (EMF lines, PutMetricData, the built-in
 * AWS/Lambda and AWS/SQS ones), alarms evaluated every few seconds, and dashboards.
 * In memory: metrics for a trailing window, alarms as deployed or put.
 */
import { join } from "node:path";
import { readJsonFile, writeJsonFile } from "../json-file.ts";
import type { FauxqsStore } from "../sqs/fauxqs-embed.ts";
import type { CloudContext } from "../types.ts";
import type { AlarmDefinition } from "./alarm-definition.ts";
import { AlarmStore } from "./alarm-store.ts";
import { queueSnapshots, recordInvocation, recordMessagesSent, recordQueueSnapshot } from "./builtin-metrics.ts";
import { parseEmfLine } from "./emf.ts";
import { FunctionActivityLog } from "./function-activity.ts";
import { MetricStore } from "./metric-store.ts";
import { sampleOf } from "./statistics.ts";

export interface CloudWatchOptions {
  /** How often alarms are evaluated (CloudWatch: every minute). @default 5 */
  readonly alarmEvaluationSeconds?: number;
  /** How often the queues' AWS/SQS metrics are sampled. @default 5 */
  readonly queueSampleSeconds?: number;
  /** Where alarms and dashboards are kept between runs (metrics are not). @default in memory only */
  readonly dataDir?: string;
}

export interface Dashboard {
  readonly name: string;
  readonly body: string;
  readonly lastModified: Date;
}

/** Also the deployer's target for AWS::CloudWatch::Alarm and AWS::CloudWatch::Dashboard. */
export class CloudWatch {
  readonly metrics = new MetricStore();
  readonly alarms: AlarmStore;
  readonly activity = new FunctionActivityLog();
  readonly dashboards: Map<string, Dashboard>;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly ctx: Pick<CloudContext, "region" | "accountId" | "log">, private readonly options: CloudWatchOptions = {}) {
    const dataDir = options.dataDir;
    this.alarms = new AlarmStore(this.metrics, (name) => this.arn(`alarm:${name}`), Date.now, dataDir === undefined ? undefined : join(dataDir, "alarms.json"));
    const saved = dataDir === undefined ? undefined : readJsonFile<{ name: string; body: string; lastModified: string }[]>(join(dataDir, "dashboards.json"));
    this.dashboards = new Map((saved ?? []).map((dashboard) => [dashboard.name, { ...dashboard, lastModified: new Date(dashboard.lastModified) }]));
  }

  /** Called after every change of the dashboards (PutDashboard, the deployer). */
  saveDashboards(): void {
    if (this.options.dataDir !== undefined) writeJsonFile(join(this.options.dataDir, "dashboards.json"), [...this.dashboards.values()]);
  }

  arn(resource: string): string {
    return resource.startsWith("dashboard/")
      ? `arn:aws:cloudwatch::${this.ctx.accountId}:${resource}`
      : `arn:aws:cloudwatch:${this.ctx.region}:${this.ctx.accountId}:${resource}`;
  }

  putAlarm(definition: AlarmDefinition): void {
    this.alarms.put(definition);
  }

  deleteAlarm(name: string): void {
    this.alarms.delete(name);
  }

  putDashboard(name: string, body: string): void {
    this.dashboards.set(name, { name, body, lastModified: new Date() });
    this.saveDashboards();
  }

  deleteDashboard(name: string): void {
    this.dashboards.delete(name);
    this.saveDashboards();
  }

  /** Every line a function writes passes here; EMF lines become datapoints. */
  observeLogLine(line: string): void {
    for (const point of parseEmfLine(line)) {
      for (const value of point.values) this.metrics.put(point.metric, sampleOf(point.timestamp, value));
    }
  }

  invocationRan(functionName: string, durationMs: number, failed: boolean): void {
    recordInvocation(this.metrics, functionName, durationMs, failed);
    this.activity.record(functionName, durationMs, failed);
  }

  messagesSent(queueName: string, count: number): void {
    recordMessagesSent(this.metrics, queueName, count);
  }

  /** Starts sampling the queues and evaluating alarms. */
  start(queues: FauxqsStore): void {
    const every = (seconds: number, task: () => void) => {
      const timer = setInterval(() => {
        try {
          task();
        } catch (error) {
          this.ctx.log("cloudwatch", `${error instanceof Error ? error.message : String(error)}`);
        }
      }, seconds * 1000);
      timer.unref();
      this.timers.push(timer);
    };
    const sample = () => {
      const now = Date.now();
      for (const snapshot of queueSnapshots(queues, now)) recordQueueSnapshot(this.metrics, snapshot, now);
    };
    sample();
    every(this.options.queueSampleSeconds ?? 5, sample);
    every(this.options.alarmEvaluationSeconds ?? 5, () => this.alarms.evaluate());
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }
}
