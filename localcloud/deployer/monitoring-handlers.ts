/** AWS::CloudWatch::Alarm and AWS::CloudWatch::Dashboard, run by the local cloud's CloudWatch. */
import type { AlarmDefinition } from "../cloudwatch/alarm-definition.ts";
import { alarmDefinitionOf } from "../cloudwatch/alarm-input.ts";
import type { CreatedResource, DeleteInput, HandlerInput, ResourceHandler } from "./resource-handlers.ts";

/** Where alarms and dashboards go; without it, they are accepted but not emulated. */
export interface MonitoringTarget {
  putAlarm(definition: AlarmDefinition): void;
  deleteAlarm(name: string): void;
  putDashboard(name: string, body: string): void;
  deleteDashboard(name: string): void;
  arn(resource: string): string;
}

async function createAlarm({ properties, physicalName, targets }: HandlerInput): Promise<CreatedResource> {
  const name = (properties.AlarmName as string | undefined) ?? physicalName(255);
  const arn = targets.monitoring?.arn(`alarm:${name}`) ?? `arn:aws:cloudwatch:${targets.ctx.region}:${targets.ctx.accountId}:alarm:${name}`;
  if (targets.monitoring === undefined) return { ref: name, attributes: { Arn: arn }, emulated: false };
  targets.monitoring.putAlarm(alarmDefinitionOf({ ...properties, AlarmName: name }));
  return { ref: name, attributes: { Arn: arn } };
}

async function createDashboard({ properties, physicalName, targets }: HandlerInput): Promise<CreatedResource> {
  const name = (properties.DashboardName as string | undefined) ?? physicalName(255);
  if (targets.monitoring === undefined) return { ref: name, attributes: {}, emulated: false };
  const body = typeof properties.DashboardBody === "string" ? properties.DashboardBody : JSON.stringify(properties.DashboardBody ?? {});
  targets.monitoring.putDashboard(name, body);
  return { ref: name, attributes: {} };
}

export const MONITORING_HANDLERS: Readonly<Record<string, ResourceHandler>> = {
  "AWS::CloudWatch::Alarm": { create: createAlarm, delete: async ({ physicalId, targets }: DeleteInput) => targets.monitoring?.deleteAlarm(physicalId) },
  "AWS::CloudWatch::Dashboard": { create: createDashboard, delete: async ({ physicalId, targets }: DeleteInput) => targets.monitoring?.deleteDashboard(physicalId) },
};
