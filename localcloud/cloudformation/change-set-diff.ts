import type { Template } from "../deployer/cloud-assembly.ts";
import type { PropertyChange, ResourceChange, StackRecord } from "./stack-records.ts";

/**
 * What a change set would do to each resource, read from the templates as
 * CloudFormation does before it runs anything: added, modified (its definition
 * differs) or removed. A new stack adds everything.
 */
export function diffResources(stack: StackRecord | undefined, next: Template): ResourceChange[] {
  const changes: ResourceChange[] = [];
  const before = stack?.template.Resources ?? {};
  for (const [logicalId, resource] of Object.entries(next.Resources)) {
    const old = before[logicalId];
    if (!old || !stack?.resources[logicalId]) changes.push({ action: "Add", logicalId, type: resource.Type });
    else if (JSON.stringify(old) !== JSON.stringify(resource)) {
      changes.push({ action: "Modify", logicalId, physicalId: stack.resources[logicalId]?.physicalId, type: resource.Type, details: propertyChanges(old.Properties, resource.Properties) });
    }
  }
  for (const [logicalId, resource] of Object.entries(stack?.resources ?? {})) {
    if (!(logicalId in next.Resources)) changes.push({ action: "Remove", logicalId, physicalId: resource.physicalId, type: resource.type });
  }
  return changes;
}

/** The top-level properties whose definitions differ, with both values as JSON. */
function propertyChanges(before: Record<string, unknown> = {}, after: Record<string, unknown> = {}): PropertyChange[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names
    .filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]))
    .map((name) => ({
      name,
      ...(before[name] === undefined ? {} : { before: JSON.stringify(before[name]) }),
      ...(after[name] === undefined ? {} : { after: JSON.stringify(after[name]) }),
    }));
}
