import type { StackRecord } from "../../localcloud/cloudformation/stack-records.ts";
import type { InspectableQueue } from "../../localcloud/console/queue-depths.ts";
import type { MetricQuery, MonitoringView, TraceSegmentView } from "../../localcloud/monitoring/monitoring-view.ts";

/** A queue as fauxqs answers its attributes. */
export function fakeQueue(name: string, attributes: Record<string, string>): InspectableQueue {
  return { name, getAttribute: (attribute) => attributes[attribute] };
}

export const redriveTo = (dlq: string, maxReceiveCount = 3) => JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:000000000000:${dlq}`, maxReceiveCount });

/** A deployed stack with the given resources, as the CloudFormation engine records it. */
export function fakeStack(stackName: string, resources: { logicalId: string; type: string; physicalId: string; emulated?: boolean }[]): StackRecord {
  return {
    stackName,
    stackId: `arn:aws:cloudformation:us-east-1:000000000000:stack/${stackName}/1`,
    status: "CREATE_COMPLETE",
    createdAt: "2026-12-02T12:00:00.000Z",
    templateBody: "{}",
    template: { Resources: {} },
    parameters: {},
    resolvedParameters: {},
    outputs: [{ key: "ApiUrl", value: "http://localhost:4566/_aws/execute-api/abc/prod/" }],
    resources: Object.fromEntries(
      resources.map((r) => [r.logicalId, { ...r, status: "CREATE_COMPLETE", properties: {}, attributes: {}, emulated: r.emulated ?? true, updatedAt: "2026-12-02T12:00:00.000Z" }]),
    ),
    events: [],
    capabilities: [],
    tags: {},
  } as StackRecord;
}

/** A monitoring with fixed answers (two points per series, unless `points` says more); it records the metric queries it was asked. */
export function fakeMonitoring(options: { segments?: TraceSegmentView[]; points?: (query: MetricQuery) => { timestamps: string[]; values: number[] } } = {}): MonitoringView & { queries: MetricQuery[] } {
  const queries: MetricQuery[] = [];
  const segments = options.segments ?? [];
  const traceIds = [...new Set(segments.map((s) => s.traceId))];
  return {
    queries,
    series(query) {
      queries.push(query);
      const points = options.points?.(query) ?? { timestamps: ["2026-12-02T11:58:00.000Z", "2026-12-02T11:59:00.000Z"], values: [3, 5] };
      return { label: query.metricName, ...points };
    },
    alarms: () => [{ name: "OrdersDlqNotEmpty", state: "ALARM", reason: "1 message in the DLQ", updatedAt: "2026-12-02T11:59:30.000Z" }],
    dashboards: () => [
      {
        name: "Brokerage",
        widgets: [{ title: "Orders", metrics: [{ namespace: "Brokerage", metricName: "OrdersFilled", dimensions: { service: "orders" }, stat: "Sum", periodSeconds: 60, label: "filled" }] }],
      },
    ],
    functionActivity: () => [{ functionName: "Brokerage-ValidateOrder-ABC", invocations: 42, errors: 1, durationMs: { p50: 12, p99: 80, max: 95 } }],
    traces: ({ limit }) =>
      traceIds.slice(0, limit).map((traceId) => ({ traceId, name: "POST /orders", startTime: 0, durationSeconds: 1, segments: segments.filter((s) => s.traceId === traceId).length, error: false })),
    trace: (traceId) => (traceIds.includes(traceId) ? segments.filter((s) => s.traceId === traceId) : undefined),
  };
}
