import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { StackEngine } from "../../../../localcloud/cloudformation/stack-engine.ts";
import type { OperationTargets } from "../../../../localcloud/cloudformation/stack-operation.ts";
import { StackRecords } from "../../../../localcloud/cloudformation/stack-records.ts";
import type { TemplateResource } from "../../../../localcloud/deployer/cloud-assembly.ts";
import { deployedStackOf } from "../../../../localcloud/deployer/deployed-stack.ts";
import type { ScheduleTarget } from "../../../../localcloud/deployer/resource-handlers.ts";
import type { CloudContext, FunctionConfig } from "../../../../localcloud/types.ts";

const sweeper: TemplateResource = {
  Type: "AWS::Lambda::Function",
  Properties: { FunctionName: "sweeper", Handler: "index.handler", Runtime: "nodejs22.x", Code: { S3Bucket: "assets", S3Key: "sweeper.zip" } },
};
const rule = (properties: Record<string, unknown>): TemplateResource => ({
  Type: "AWS::Events::Rule",
  Properties: { Targets: [{ Arn: { "Fn::GetAtt": ["Sweeper", "Arn"] }, Id: "Target0" }], ...properties },
});

async function deploy(resources: Record<string, TemplateResource>, options: { scheduler: boolean }) {
  const logLines: string[] = [];
  const ctx: CloudContext = { region: "us-east-1", accountId: "000000000000", endpoint: "http://localhost:4566", dataDir: "", log: (source, line) => logLines.push(`${source}: ${line}`) };
  const schedules: ScheduleTarget[] = [];
  const functions: FunctionConfig[] = [];
  const targets: OperationTargets = {
    ctx,
    dynamodb: undefined as never,
    sqs: { createQueue: async () => ({ queueUrl: "", queueArn: "" }), deleteQueue: async () => {} },
    lambda: { createFunction: (config) => void functions.push(config), deleteFunction: () => {}, listFunctions: () => functions },
    functionCode: async () => "/assembly/asset.sweeper",
    eventSources: { add: () => {}, remove: async () => {} },
    restApis: { put: () => {}, delete: () => {} },
    ...(options.scheduler ? { scheduler: { addSchedule: (schedule: ScheduleTarget) => void schedules.push(schedule), removeRule: () => {} } } : {}),
  };
  const engine = new StackEngine(ctx, new StackRecords(undefined), targets, () => undefined);
  const template = { Resources: { Sweeper: sweeper, ...resources } };
  const stack = await engine.deployAndWait({ stackName: "Demo", template, templateBody: JSON.stringify(template), parameters: new Map() });
  return { deployed: deployedStackOf(stack), schedules, logLines };
}

describe("deployer: EventBridge rules", () => {
  test("a rate rule with a Lambda target becomes a schedule of that function", async () => {
    const { deployed, schedules } = await deploy({ Every: rule({ ScheduleExpression: "rate(1 minute)", State: "ENABLED" }) }, { scheduler: true });
    assert.equal(schedules.length, 1);
    assert.deepEqual({ ...schedules[0], name: undefined }, { name: undefined, expression: "rate(1 minute)", functionName: "sweeper" });
    assert.match(schedules[0]?.name ?? "", /^Demo-Every/);
    assert.deepEqual(deployed.notEmulated, []);
    const resource = deployed.resources.find((r) => r.logicalId === "Every");
    assert.equal(resource?.emulated, true);
  });

  test("a target's constant input is handed to the schedule; a disabled rule schedules nothing", async () => {
    const withInput = await deploy({ Every: rule({ ScheduleExpression: "rate(2 hours)", Targets: [{ Arn: { "Fn::GetAtt": ["Sweeper", "Arn"] }, Id: "T", Input: '{"a":1}' }] }) }, { scheduler: true });
    assert.equal(withInput.schedules[0]?.input, '{"a":1}');
    const disabled = await deploy({ Every: rule({ ScheduleExpression: "rate(1 minute)", State: "DISABLED" }) }, { scheduler: true });
    assert.deepEqual(disabled.schedules, []);
  });

  test("without a scheduler, and for cron, the rule is accepted and reported as not emulated", async () => {
    for (const [expression, scheduler] of [["rate(1 minute)", false], ["cron(0 12 * * ? *)", true]] as const) {
      const { deployed, schedules, logLines } = await deploy({ Every: rule({ ScheduleExpression: expression }) }, { scheduler });
      assert.deepEqual(schedules, [], expression);
      assert.deepEqual(deployed.notEmulated, ["AWS::Events::Rule"], expression);
      assert.equal(deployed.resources.find((r) => r.logicalId === "Every")?.emulated, false);
      assert.ok(logLines.some((line) => line.includes("Every") && line.includes("not run")), expression);
    }
  });

  test("a malformed schedule expression fails the deploy, naming it", async () => {
    await assert.rejects(deploy({ Every: rule({ ScheduleExpression: "rate(1 minutes)" }) }, { scheduler: true }), /rate\(1 minutes\)/);
  });
});
