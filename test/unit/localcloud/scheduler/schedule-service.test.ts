import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InvalidScheduleExpressionError, parseScheduleExpression, ScheduleService, UnknownScheduleError, UnsupportedScheduleError } from "../../../../localcloud/scheduler/index.ts";
import type { CloudContext, InvocationType, InvokeResult, LambdaInvoker } from "../../../../localcloud/types.ts";

const ctx: CloudContext = { region: "us-east-1", accountId: "000000000000", endpoint: "http://localhost:4566", dataDir: "", log: () => {} };

class RecordingInvoker implements LambdaInvoker {
  readonly calls: { functionName: string; payload: unknown; invocationType?: InvocationType }[] = [];
  async invoke(functionName: string, payload: string, options?: { invocationType?: InvocationType }): Promise<InvokeResult> {
    this.calls.push({ functionName, payload: JSON.parse(payload), invocationType: options?.invocationType });
    return { statusCode: 202, payload: "" };
  }
}

describe("schedule expressions", () => {
  test("rate(...) in minutes, hours and days, singular for one and plural for more", () => {
    assert.deepEqual(parseScheduleExpression("rate(1 minute)"), { kind: "rate", intervalMs: 60_000 });
    assert.deepEqual(parseScheduleExpression("rate(5 minutes)"), { kind: "rate", intervalMs: 300_000 });
    assert.deepEqual(parseScheduleExpression("rate(2 hours)"), { kind: "rate", intervalMs: 7_200_000 });
    assert.deepEqual(parseScheduleExpression("rate(1 day)"), { kind: "rate", intervalMs: 86_400_000 });
  });

  test("cron(...) is recognised but kept apart", () => {
    assert.deepEqual(parseScheduleExpression("cron(0 12 * * ? *)"), { kind: "cron", fields: "0 12 * * ? *" });
  });

  test("malformed expressions are refused, naming the expression", () => {
    for (const bad of ["rate(1 minutes)", "rate(2 minute)", "rate(0 minutes)", "rate(5 seconds)", "every minute", "rate(1.5 hours)"]) {
      assert.throws(() => parseScheduleExpression(bad), (error: unknown) => error instanceof InvalidScheduleExpressionError && error.message.includes(bad), bad);
    }
  });
});

describe("ScheduleService", () => {
  test("tick invokes the target asynchronously with a Scheduled Event", async () => {
    const lambda = new RecordingInvoker();
    const scheduler = new ScheduleService(ctx, lambda);
    scheduler.addSchedule({ name: "sweep", expression: "rate(1 minute)", functionName: "reconcile" });
    await scheduler.tick("sweep");
    await scheduler.stop();

    assert.equal(lambda.calls.length, 1);
    const [call] = lambda.calls;
    assert.equal(call?.functionName, "reconcile");
    assert.equal(call?.invocationType, "Event");
    const event = call?.payload as Record<string, unknown>;
    assert.equal(event["detail-type"], "Scheduled Event");
    assert.equal(event.source, "aws.events");
    assert.equal(event.account, "000000000000");
    assert.equal(event.region, "us-east-1");
    assert.deepEqual(event.resources, ["arn:aws:events:us-east-1:000000000000:rule/sweep"]);
    assert.deepEqual(event.detail, {});
    assert.match(String(event.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  test("a rule's constant input is passed as it is", async () => {
    const lambda = new RecordingInvoker();
    const scheduler = new ScheduleService(ctx, lambda);
    scheduler.addSchedule({ name: "nightly", expression: "rate(1 day)", functionName: "report", input: '{"kind":"daily"}' });
    await scheduler.tick();
    await scheduler.stop();
    assert.deepEqual(lambda.calls.map((c) => c.payload), [{ kind: "daily" }]);
  });

  test("a redeploy replaces the schedule; cron is refused; an unknown name is an error", async () => {
    const lambda = new RecordingInvoker();
    const scheduler = new ScheduleService(ctx, lambda);
    scheduler.addSchedule({ name: "sweep", expression: "rate(1 minute)", functionName: "reconcile" });
    scheduler.addSchedule({ name: "sweep", expression: "rate(2 minutes)", functionName: "reconcile" });
    assert.deepEqual(scheduler.list().map((s) => s.expression), ["rate(2 minutes)"]);
    assert.throws(() => scheduler.addSchedule({ name: "noon", expression: "cron(0 12 * * ? *)", functionName: "x" }), UnsupportedScheduleError);
    await assert.rejects(scheduler.tick("nope"), UnknownScheduleError);
    await scheduler.stop();
  });

  test("stop ends every schedule: nothing is left to fire", async () => {
    const lambda = new RecordingInvoker();
    const scheduler = new ScheduleService(ctx, lambda);
    scheduler.addSchedule({ name: "a", expression: "rate(1 minute)", functionName: "f" });
    scheduler.addSchedule({ name: "b", expression: "rate(1 hour)", functionName: "g" });
    await scheduler.stop();
    assert.deepEqual(scheduler.list(), []);
    assert.deepEqual(await scheduler.tick(), []);
    assert.equal(lambda.calls.length, 0);
  });

  test("a schedule fires on its own once its interval has passed", async (t) => {
    t.mock.timers.enable({ apis: ["setInterval"] });
    const lambda = new RecordingInvoker();
    const scheduler = new ScheduleService(ctx, lambda);
    scheduler.addSchedule({ name: "sweep", expression: "rate(1 minute)", functionName: "reconcile" });
    t.mock.timers.tick(59_999);
    assert.equal(lambda.calls.length, 0);
    t.mock.timers.tick(1);
    t.mock.timers.tick(60_000);
    await scheduler.stop();
    assert.equal(lambda.calls.length, 2);
  });
});
