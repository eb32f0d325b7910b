import type { StackRecord } from "../cloudformation/stack-records.ts";

/** What the deployer leaves behind for the CloudFormation read side and for `cdk-outputs.json`. */
export interface DeployedStack {
  readonly stackName: string;
  readonly stackId: string;
  readonly description?: string;
  readonly createdAt: Date;
  readonly outputs: Readonly<Record<string, string>>;
  readonly resources: readonly DeployedResource[];
  /** Resource types present in the template that the local cloud does not run. */
  readonly notEmulated: readonly string[];
}

export interface DeployedResource {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly type: string;
  /** False for types the local cloud accepts but does not emulate (IAM, permissions, …). */
  readonly emulated: boolean;
}

/** The summary of a stack record that `npm start` prints and writes to `cdk-outputs.json`. */
export function deployedStackOf(stack: StackRecord): DeployedStack {
  const resources = Object.values(stack.resources).map((r) => ({ logicalId: r.logicalId, physicalId: r.physicalId, type: r.type, emulated: r.emulated }));
  return {
    stackName: stack.stackName,
    stackId: stack.stackId,
    description: stack.description,
    createdAt: new Date(stack.createdAt),
    outputs: Object.fromEntries(stack.outputs.map((output) => [output.key, output.value])),
    resources,
    notEmulated: [...new Set(resources.filter((r) => !r.emulated).map((r) => r.type))].sort(),
  };
}
