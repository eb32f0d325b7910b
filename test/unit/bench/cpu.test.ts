import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cpuPerOrder, renderCpu } from "../../../bench/cpu.ts";
import type { LambdaUsageRow, UsageSnapshot } from "../../../localcloud/metering/usage.ts";

const row = (displayName: string, invocations: number, cpuMs: number): LambdaUsageRow => ({
  functionName: `Stack-${displayName}`,
  displayName,
  memorySizeMb: 256,
  architecture: "arm64",
  invocations,
  errors: 0,
  billedMs: invocations * 10,
  gbSeconds: invocations * 0.0025,
  cpuMs,
});
const snapshot = (takenAt: string, lambda: LambdaUsageRow[]): UsageSnapshot => ({ takenAt, dynamodb: [], sqs: [], lambda, apigateway: [], inFlight: { lambdaInvocations: 0 } });

describe("bench CPU per order", () => {
  const before = snapshot("t0", [row("validate-order", 5, 50)]);
  const after = snapshot("t1", [row("validate-order", 15, 150), row("process-order", 2, 80)]);

  it("splits the window's CPU into sandboxes by function, the main thread and the rest", () => {
    const cpu = cpuPerOrder(before, after, 10, {
      before: { cpuMs: 1000, mainThreadMs: 400, rssMb: 500 },
      after: { cpuMs: 1500, mainThreadMs: 600, rssMb: 600 },
      includesClient: true,
    });
    assert.deepEqual(cpu.sandboxMs, { "validate-order": 10, "process-order": 8 });
    assert.equal(cpu.sandboxTotalMs, 18);
    assert.equal(cpu.processMs, 50);
    assert.equal(cpu.mainThreadMs, 20);
    assert.equal(cpu.otherThreadsMs, 12);
    assert.match(renderCpu(cpu).join("\n"), /\| Main thread \(front door, emulators, pollers, bench client\) \| 20\.00 \|/);
  });

  it("leaves the bench client out of the main thread's label when the cloud is another process", () => {
    const cpu = cpuPerOrder(before, after, 10, {
      before: { cpuMs: 1000, mainThreadMs: 400, rssMb: 500 },
      after: { cpuMs: 1500, mainThreadMs: 600, rssMb: 600 },
      includesClient: false,
    });
    assert.match(renderCpu(cpu).join("\n"), /\| Main thread \(front door, emulators, pollers\) \| 20\.00 \|/);
  });

  it("reports only the sandboxes when the cloud's process cannot be read", () => {
    const cpu = cpuPerOrder(before, after, 10);
    assert.equal(cpu.processMs, undefined);
    const text = renderCpu(cpu).join("\n");
    assert.match(text, /\| … validate-order \| 10\.00 \|/);
    assert.doesNotMatch(text, /Main thread/);
  });
});
