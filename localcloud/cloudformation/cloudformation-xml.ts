import { escapeXml } from "../query-protocol.ts";
import type { ChangeSetRecord, PropertyChange, ResourceRecord, StackEvent, StackRecord } from "./stack-records.ts";

/** CloudFormation's query-protocol answers, rendered from the stack records. */

export const tag = (name: string, value: string | number | boolean | undefined): string =>
  value === undefined ? "" : `<${name}>${escapeXml(String(value))}</${name}>`;

export const members = <T>(items: readonly T[], render: (item: T) => string): string => items.map((item) => `<member>${render(item)}</member>`).join("");

const parametersXml = (parameters: Record<string, string>, resolved: Record<string, string> = {}): string =>
  `<Parameters>${members(Object.entries(parameters), ([key, value]) => tag("ParameterKey", key) + tag("ParameterValue", value) + tag("ResolvedValue", resolved[key]))}</Parameters>`;

const tagsXml = (tags: Record<string, string>): string => `<Tags>${members(Object.entries(tags), ([key, value]) => tag("Key", key) + tag("Value", value))}</Tags>`;

export function stackXml(stack: StackRecord): string {
  const outputs = members(stack.outputs, (output) =>
    tag("OutputKey", output.key) + tag("OutputValue", output.value) + tag("Description", output.description) + tag("ExportName", output.exportName),
  );
  return (
    tag("StackId", stack.stackId) + tag("StackName", stack.stackName) + tag("Description", stack.description) +
    parametersXml(stack.parameters, stack.resolvedParameters) +
    tag("CreationTime", stack.createdAt) + tag("LastUpdatedTime", stack.updatedAt) +
    tag("StackStatus", stack.status) + tag("StackStatusReason", stack.statusReason) +
    tag("DisableRollback", false) + tag("EnableTerminationProtection", false) +
    `<Capabilities>${members(stack.capabilities, (capability) => escapeXml(capability))}</Capabilities>` +
    `<Outputs>${outputs}</Outputs>` + tagsXml(stack.tags) +
    `<DriftInformation>${tag("StackDriftStatus", "NOT_CHECKED")}</DriftInformation>`
  );
}

export function summaryXml(stack: StackRecord): string {
  return (
    tag("StackId", stack.stackId) + tag("StackName", stack.stackName) + tag("TemplateDescription", stack.description) +
    tag("CreationTime", stack.createdAt) + tag("LastUpdatedTime", stack.updatedAt) +
    tag("StackStatus", stack.status) + tag("StackStatusReason", stack.statusReason)
  );
}

export function resourceXml(stack: StackRecord, resource: ResourceRecord, detail: boolean): string {
  return (
    (detail ? tag("StackName", stack.stackName) + tag("StackId", stack.stackId) : "") +
    tag("LogicalResourceId", resource.logicalId) + tag("PhysicalResourceId", resource.physicalId) + tag("ResourceType", resource.type) +
    (detail ? tag("Timestamp", resource.updatedAt) : "") + tag("LastUpdatedTimestamp", resource.updatedAt) +
    tag("ResourceStatus", resource.status) +
    `<DriftInformation>${tag("StackResourceDriftStatus", "NOT_CHECKED")}</DriftInformation>`
  );
}

export function eventXml(event: StackEvent): string {
  return (
    tag("StackId", event.stackId) + tag("EventId", event.eventId) + tag("StackName", event.stackName) +
    tag("LogicalResourceId", event.logicalResourceId) + tag("PhysicalResourceId", event.physicalResourceId) +
    tag("ResourceType", event.resourceType) + tag("Timestamp", event.timestamp) +
    tag("ResourceStatus", event.resourceStatus) + tag("ResourceStatusReason", event.resourceStatusReason)
  );
}

export function changeSetXml(changeSet: ChangeSetRecord): string {
  const changes = members(changeSet.changes, (change) =>
    tag("Type", "Resource") +
    `<ResourceChange>${tag("Action", change.action)}${tag("LogicalResourceId", change.logicalId)}${tag("PhysicalResourceId", change.physicalId)}` +
    `${tag("ResourceType", change.type)}${change.action === "Modify" ? tag("Replacement", "False") : ""}` +
    `<Scope>${change.details?.length ? "<member>Properties</member>" : ""}</Scope><Details>${members(change.details ?? [], detailXml)}</Details></ResourceChange>`,
  );
  return (
    tag("ChangeSetId", changeSet.id) + tag("ChangeSetName", changeSet.name) + tag("StackId", changeSet.stackId) + tag("StackName", changeSet.stackName) +
    tag("Description", changeSet.description) + parametersXml(changeSet.parameters) + tag("CreationTime", changeSet.createdAt) +
    tag("ExecutionStatus", changeSet.executionStatus) + tag("Status", changeSet.status) + tag("StatusReason", changeSet.statusReason) +
    `<Capabilities>${members(changeSet.capabilities, (capability) => escapeXml(capability))}</Capabilities>` + tagsXml(changeSet.tags) +
    `<Changes>${changes}</Changes>` + tag("IncludeNestedStacks", false)
  );
}

/** Updates here happen in place (stable physical names), so no property requires recreation. */
function detailXml(detail: PropertyChange): string {
  return (
    `<Target>${tag("Attribute", "Properties")}${tag("Name", detail.name)}${tag("RequiresRecreation", "Never")}` +
    `${tag("BeforeValue", detail.before)}${tag("AfterValue", detail.after)}</Target>` +
    tag("Evaluation", "Static") + tag("ChangeSource", "DirectModification")
  );
}

export function changeSetSummaryXml(changeSet: ChangeSetRecord): string {
  return (
    tag("StackId", changeSet.stackId) + tag("StackName", changeSet.stackName) + tag("ChangeSetId", changeSet.id) + tag("ChangeSetName", changeSet.name) +
    tag("ExecutionStatus", changeSet.executionStatus) + tag("Status", changeSet.status) + tag("StatusReason", changeSet.statusReason) +
    tag("CreationTime", changeSet.createdAt) + tag("Description", changeSet.description)
  );
}
