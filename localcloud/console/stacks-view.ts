import type { StackRecord } from "../cloudformation/stack-records.ts";

export interface ResourceView {
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId: string;
  readonly status: string;
  /** False for types the local cloud accepts but does not run (IAM and the like). */
  readonly emulated: boolean;
}

export interface StackView {
  readonly name: string;
  readonly status: string;
  readonly updatedAt: string;
  readonly resources: readonly ResourceView[];
  readonly outputs: Readonly<Record<string, string>>;
}

/** The deployed stacks, their resources by type then logical id. */
export function stacksView(stacks: Iterable<StackRecord>): StackView[] {
  return [...stacks]
    .map((stack) => ({
      name: stack.stackName,
      status: stack.status,
      updatedAt: stack.updatedAt ?? stack.createdAt,
      resources: Object.values(stack.resources)
        .map((r) => ({ logicalId: r.logicalId, type: r.type, physicalId: r.physicalId, status: r.status, emulated: r.emulated }))
        .sort((a, b) => a.type.localeCompare(b.type) || a.logicalId.localeCompare(b.logicalId)),
      outputs: Object.fromEntries(stack.outputs.map((o) => [o.key, o.value])),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
