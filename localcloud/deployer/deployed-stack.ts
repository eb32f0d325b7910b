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
