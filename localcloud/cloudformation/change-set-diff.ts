import type { Template } from "../deployer/cloud-assembly.ts";
import type { ResourceChange, StackRecord } from "./stack-records.ts";

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
      changes.push({ action: "Modify", logicalId, physicalId: stack.resources[logicalId]?.physicalId, type: resource.Type });
    }
  }
  for (const [logicalId, resource] of Object.entries(stack?.resources ?? {})) {
    if (!(logicalId in next.Resources)) changes.push({ action: "Remove", logicalId, physicalId: resource.physicalId, type: resource.type });
  }
  return changes;
}
