import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { consoleApiResponse, type ConsoleSources } from "../../../../localcloud/console/console-api.ts";
import { LogRing } from "../../../../localcloud/console/log-ring.ts";
import type { MonitoringView } from "../../../../localcloud/monitoring/monitoring-view.ts";
import type { HttpRequest } from "../../../../localcloud/types.ts";
import { fakeMonitoring, fakeQueue, fakeStack, redriveTo } from "../../../support/console-fakes.ts";

const NOW = Date.parse("2026-12-02T12:00:00.000Z");

function sources(monitoring?: MonitoringView): ConsoleSources & { logs: LogRing } {
  const logs = new LogRing({ now: () => NOW });
  return {
    logs,
    stacks: () => [
      fakeStack("Brokerage", [
        { logicalId: "OrdersQueue", type: "AWS::SQS::Queue", physicalId: "http://localhost:4566/000000000000/orders" },
        { logicalId: "ValidateOrder", type: "AWS::Lambda::Function", physicalId: "Brokerage-ValidateOrder-ABC" },
        { logicalId: "ValidateOrderRole", type: "AWS::IAM::Role", physicalId: "role", emulated: false },
      ]),
    ],
    queues: () => [fakeQueue("orders", { ApproximateNumberOfMessages: "4", RedrivePolicy: redriveTo("orders-dlq") }), fakeQueue("orders-dlq", {})],
    functions: () => [
      { functionName: "Brokerage-ValidateOrder-ABC", displayName: "validate-order" },
      { functionName: "Brokerage-SendPush-DEF", displayName: "send-push" },
    ],
    monitoring: () => monitoring,
    now: () => NOW,
  };
}

const get = (url: string): HttpRequest => ({ method: "GET", url, headers: {}, body: Buffer.alloc(0) });

function call(from: ConsoleSources, url: string, method = "GET"): { status: number; body: Record<string, unknown> } {
  const response = consoleApiResponse(from, { ...get(url), method });
  assert.ok(response, `${url} is the console's`);
  return { status: response.statusCode, body: JSON.parse(String(response.body)) as Record<string, unknown> };
}

describe("the console's JSON API", () => {
  test("overview: stacks with their resources, queue depths, and every deployed function", () => {
    const { status, body } = call(sources(), "/_localcloud/api/overview");
    assert.equal(status, 200);
    const [stack] = body.stacks as { name: string; resources: { logicalId: string; type: string; physicalId: string; emulated: boolean }[] }[];
    assert.equal(stack?.name, "Brokerage");
    assert.deepEqual(stack?.resources.map((r) => [r.type, r.logicalId, r.emulated]), [
      ["AWS::IAM::Role", "ValidateOrderRole", false],
      ["AWS::Lambda::Function", "ValidateOrder", true],
      ["AWS::SQS::Queue", "OrdersQueue", true],
    ]);
    assert.deepEqual((body.queues as { name: string; visible: number }[]).map((q) => [q.name, q.visible]), [["orders", 4], ["orders-dlq", 0]]);
    assert.deepEqual((body.functions as { displayName: string; invocations: number }[]).map((f) => [f.displayName, f.invocations]), [["send-push", 0], ["validate-order", 0]]);
  });

  test("without a monitoring: activity counted from the log lines, alarms and charts not available", () => {
    const from = sources();
    from.logs.add("validate-order", "START RequestId: r-1 Version: $LATEST", "s");
    from.logs.add("validate-order", "END RequestId: r-1", "s");
    from.logs.add("validate-order", "REPORT RequestId: r-1 Duration: 12.50 ms Billed Duration: 13 ms Memory Size: 256 MB Max Memory Used: 70 MB", "s");
    const { body } = call(from, "/_localcloud/api/overview");
    assert.equal(body.activityFrom, "logs");
    assert.equal(body.alarms, null);
    const validate = (body.functions as { displayName: string; invocations: number; durationMs: { max: number } }[]).find((f) => f.displayName === "validate-order");
    assert.deepEqual([validate?.invocations, validate?.durationMs.max], [1, 12.5]);
    assert.deepEqual(call(from, "/_localcloud/api/charts").body, { available: false });
  });

  test("with a monitoring: its activity by physical function name, its alarms, and the dashboards' series over the range asked", () => {
    const monitoring = fakeMonitoring();
    const from = sources(monitoring);
    const { body } = call(from, "/_localcloud/api/overview");
    assert.equal(body.activityFrom, "monitoring");
    assert.deepEqual((body.alarms as { name: string; state: string }[]).map((a) => [a.name, a.state]), [["OrdersDlqNotEmpty", "ALARM"]]);
    const validate = (body.functions as { displayName: string; invocations: number; errors: number }[]).find((f) => f.displayName === "validate-order");
    assert.deepEqual([validate?.invocations, validate?.errors], [42, 1]);

    const charts = call(from, "/_localcloud/api/charts?minutes=30").body as { available: boolean; dashboards: { name: string; charts: { title: string; series: { label: string; values: number[] }[] }[] }[] };
    assert.equal(charts.available, true);
    assert.deepEqual(charts.dashboards[0]?.charts[0]?.series.map((s) => [s.label, s.values]), [["filled", [3, 5]]]);
    const [query] = monitoring.queries;
    assert.deepEqual([query?.metricName, query?.stat, query?.endTime.getTime(), query?.startTime.getTime()], ["OrdersFilled", "Sum", NOW, NOW - 30 * 60_000]);
  });

  test("logs: filtered by correlation id and source, newest up to the limit", () => {
    const from = sources();
    for (const [source, id] of [["validate-order", "c-1"], ["process-order", "c-1"], ["validate-order", "c-2"]] as const) {
      from.logs.add(source, JSON.stringify({ level: "INFO", message: "step", correlationId: id }));
    }
    const byId = call(from, "/_localcloud/api/logs?correlationId=c-1").body as { lines: { source: string }[]; lastSeq: number; sources: string[] };
    assert.deepEqual(byId.lines.map((l) => l.source), ["validate-order", "process-order"]);
    assert.equal(byId.lastSeq, 3);
    assert.deepEqual(byId.sources, ["process-order", "validate-order"]);
    const bySource = call(from, "/_localcloud/api/logs?source=validate-order&limit=1").body as { lines: { correlationId: string }[] };
    assert.deepEqual(bySource.lines.map((l) => l.correlationId), ["c-2"]);
    assert.deepEqual(call(from, "/_localcloud/api/correlations").body, { correlationIds: ["c-2", "c-1"] });
  });

  test("timeline: by correlation id, or by an order id resolved to the correlation id its lines carried", () => {
    const from = sources();
    from.logs.add("validate-order", "START RequestId: r-1 Version: $LATEST", "s-1");
    from.logs.add("validate-order", JSON.stringify({ level: "INFO", message: "order accepted", correlationId: "c-5", orderId: "o-5" }), "s-1");
    from.logs.add("validate-order", "END RequestId: r-1", "s-1");
    from.logs.add("validate-order", "REPORT RequestId: r-1 Duration: 4.00 ms Billed Duration: 4 ms Memory Size: 256 MB Max Memory Used: 70 MB", "s-1");
    const byCorrelation = call(from, "/_localcloud/api/timeline/c-5").body as { asked: string; correlationId: string; rows: { name: string }[] };
    assert.deepEqual([byCorrelation.asked, byCorrelation.correlationId, byCorrelation.rows.map((r) => r.name)], ["c-5", "c-5", ["validate-order"]]);
    const byOrder = call(from, "/_localcloud/api/timeline/o-5").body as { asked: string; correlationId: string; rows: { name: string }[] };
    assert.deepEqual([byOrder.asked, byOrder.correlationId, byOrder.rows.map((r) => r.name)], ["o-5", "c-5", ["validate-order"]]);
    const unknown = call(from, "/_localcloud/api/timeline/nobody").body as { correlationId: string; rows: unknown[] };
    assert.deepEqual([unknown.correlationId, unknown.rows], ["nobody", []]);
  });

  test("bad input is a 400 with a stable code, an unknown path a 404, a write a 405", () => {
    const from = sources();
    const bad = call(from, "/_localcloud/api/logs?limit=lots");
    assert.deepEqual([bad.status, bad.body.code], [400, "INVALID_QUERY"]);
    assert.equal(call(from, "/_localcloud/api/charts?minutes=0").status, 400);
    assert.deepEqual([call(from, "/_localcloud/api/timeline/").status, call(from, "/_localcloud/api/timeline/").body.code], [400, "INVALID_CORRELATION_ID"]);
    assert.deepEqual([call(from, "/_localcloud/api/timeline/%E0%A4%A").status, call(from, "/_localcloud/api/timeline/%E0%A4%A").body.code], [400, "INVALID_CORRELATION_ID"]);
    assert.deepEqual([call(from, "/_localcloud/api/nothing").status, call(from, "/_localcloud/api/nothing").body.code], [404, "NOT_FOUND"]);
    assert.equal(call(from, "/_localcloud/api/overview", "POST").status, 405);
    assert.equal(consoleApiResponse(from, get("/_localcloud/health")), undefined);
  });
});
