import { Duration } from "aws-cdk-lib";
import { AlarmStatusWidget, Dashboard, GraphWidget, Stats, TextWidget, type Alarm } from "aws-cdk-lib/aws-cloudwatch";
import type { Construct } from "constructs";
import type { BrokerageFunction } from "../compute/brokerage-function.ts";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { businessMetrics } from "./business-metrics.ts";

const MINUTE = Duration.minutes(1);
const VISIBLE = { period: MINUTE, statistic: Stats.MAXIMUM };
const graph = (title: string, width = 8) => new GraphWidget({ title, width, height: 6 });

/**
 * The stack's one dashboard: the order flow first (what a user would notice), then the
 * queues, then the functions, then the alarms. Queues and functions are added to their
 * graphs as they are found, so the rows never need to be rearranged.
 */
export class BrokerageDashboard {
  readonly dashboard: Dashboard;
  private readonly queueDepths = graph("Queue depth (messages visible, max)", 12);
  private readonly deadLetterDepths = graph("Dead-letter queue depth (max)", 12);
  private readonly invocations = graph("Function invocations");
  private readonly errors = graph("Function errors");
  private readonly durations = graph("Function duration p99 (ms)");

  constructor(scope: Construct, id: string, dashboardName: string, alarms: readonly Alarm[]) {
    this.dashboard = new Dashboard(scope, id, { dashboardName, defaultInterval: Duration.hours(3) });
    const orders = graph("Orders per minute");
    orders.addLeftMetric(businessMetrics.accepted());
    orders.addLeftMetric(businessMetrics.filled());
    const rejected = graph("Rejections by reason");
    rejected.addLeftMetric(businessMetrics.rejectedByReason());
    const latency = graph("Acceptance to fill (ms)");
    for (const statistic of [Stats.p(50), Stats.p(90), Stats.p(99)]) latency.addLeftMetric(businessMetrics.latency(statistic));
    const notional = graph("Notional filled by ticker and currency (per 5 min)", 24);
    notional.addLeftMetric(businessMetrics.notionalByTicker());
    this.dashboard.addWidgets(new TextWidget({ markdown: "# Brokerage\nOrders, queues, functions and alarms. Business metrics: namespace `Brokerage` (EMF, Powertools).", width: 24, height: 2 }));
    this.dashboard.addWidgets(orders, rejected, latency);
    this.dashboard.addWidgets(notional);
    this.dashboard.addWidgets(this.queueDepths, this.deadLetterDepths);
    this.dashboard.addWidgets(this.invocations, this.errors, this.durations);
    // The list is read when the dashboard is rendered, so alarms made later are on it too.
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: "Alarms", alarms: alarms as Alarm[], width: 24, height: 4 }));
  }

  addQueue(label: string, queue: IQueue): void {
    this.queueDepths.addLeftMetric(queue.metricApproximateNumberOfMessagesVisible({ ...VISIBLE, label }));
  }

  addDeadLetterQueue(label: string, queue: IQueue): void {
    this.deadLetterDepths.addLeftMetric(queue.metricApproximateNumberOfMessagesVisible({ ...VISIBLE, label }));
  }

  addFunction(label: string, fn: BrokerageFunction): void {
    this.invocations.addLeftMetric(fn.metricInvocations({ period: MINUTE, statistic: Stats.SUM, label }));
    this.errors.addLeftMetric(fn.metricErrors({ period: MINUTE, statistic: Stats.SUM, label }));
    this.durations.addLeftMetric(fn.metricDuration({ period: MINUTE, statistic: Stats.p(99), label }));
  }
}
