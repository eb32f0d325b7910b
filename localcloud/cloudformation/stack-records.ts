import { readJsonFile, writeJsonFile } from "../json-file.ts";
import type { Template } from "../deployer/cloud-assembly.ts";

export type StackStatus =
  | "REVIEW_IN_PROGRESS"
  | "CREATE_IN_PROGRESS" | "CREATE_COMPLETE" | "CREATE_FAILED"
  | "ROLLBACK_IN_PROGRESS" | "ROLLBACK_COMPLETE" | "ROLLBACK_FAILED"
  | "UPDATE_IN_PROGRESS" | "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS" | "UPDATE_COMPLETE"
  | "UPDATE_ROLLBACK_IN_PROGRESS" | "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS" | "UPDATE_ROLLBACK_COMPLETE" | "UPDATE_ROLLBACK_FAILED"
  | "DELETE_IN_PROGRESS" | "DELETE_COMPLETE" | "DELETE_FAILED";

export type ResourceStatus =
  | "CREATE_IN_PROGRESS" | "CREATE_COMPLETE" | "CREATE_FAILED"
  | "UPDATE_IN_PROGRESS" | "UPDATE_COMPLETE" | "UPDATE_FAILED"
  | "DELETE_IN_PROGRESS" | "DELETE_COMPLETE" | "DELETE_FAILED" | "DELETE_SKIPPED";

/** One deployed resource as CloudFormation tracks it. */
export interface ResourceRecord {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly type: string;
  readonly status: ResourceStatus;
  /** Properties with every intrinsic resolved: what the resource was last created or updated with. */
  readonly properties: Record<string, unknown>;
  /** What `Fn::GetAtt` answers for it. */
  readonly attributes: Readonly<Record<string, string>>;
  /** False for types the local cloud accepts but does not run (IAM, policies, …). */
  readonly emulated: boolean;
  /** The template's DeletionPolicy ("Retain" keeps it when the stack or resource goes). */
  readonly deletionPolicy?: string;
  readonly updatedAt: string;
}

export interface StackEvent {
  readonly eventId: string;
  readonly stackId: string;
  readonly stackName: string;
  readonly logicalResourceId: string;
  readonly physicalResourceId: string;
  readonly resourceType: string;
  readonly timestamp: string;
  readonly resourceStatus: string;
  readonly resourceStatusReason?: string;
}

export interface StackOutput {
  readonly key: string;
  readonly value: string;
  readonly description?: string;
  readonly exportName?: string;
}

/** A stack: what was deployed (template, parameters, resources) and what happened to it (events). */
export interface StackRecord {
  stackName: string;
  stackId: string;
  status: StackStatus;
  statusReason?: string;
  description?: string;
  createdAt: string;
  updatedAt?: string;
  /** The template as it was submitted, for GetTemplate. */
  templateBody: string;
  template: Template;
  /** Parameter values as submitted (an SSM-typed parameter's value is the parameter's name). */
  parameters: Record<string, string>;
  /** What SSM-typed parameters resolved to. */
  resolvedParameters: Record<string, string>;
  outputs: StackOutput[];
  resources: Record<string, ResourceRecord>;
  /** Oldest first; DescribeStackEvents answers newest first. */
  events: StackEvent[];
  capabilities: string[];
  tags: Record<string, string>;
}

export type ChangeAction = "Add" | "Modify" | "Remove";

/** One property a Modify changes, its values as JSON (absent when the property is added or dropped). */
export interface PropertyChange {
  readonly name: string;
  readonly before?: string;
  readonly after?: string;
}

export interface ResourceChange {
  readonly action: ChangeAction;
  readonly logicalId: string;
  readonly physicalId?: string;
  readonly type: string;
  /** For a Modify: the properties it changes. */
  readonly details?: readonly PropertyChange[];
}

export interface ChangeSetRecord {
  readonly id: string;
  readonly name: string;
  readonly stackId: string;
  readonly stackName: string;
  readonly type: "CREATE" | "UPDATE";
  status: "CREATE_COMPLETE" | "FAILED" | "DELETE_COMPLETE";
  statusReason?: string;
  executionStatus: "AVAILABLE" | "UNAVAILABLE" | "EXECUTE_IN_PROGRESS" | "EXECUTE_COMPLETE" | "OBSOLETE";
  readonly description?: string;
  readonly createdAt: string;
  readonly templateBody: string;
  readonly template: Template;
  readonly parameters: Record<string, string>;
  readonly capabilities: string[];
  readonly tags: Record<string, string>;
  readonly changes: ResourceChange[];
}

/**
 * Stacks and change sets, written through to one JSON file so a restart of the
 * local cloud knows what was deployed (and can start its functions again).
 */
export class StackRecords {
  readonly stacks = new Map<string, StackRecord>();
  /** Deleted stacks stay findable by their id, as on AWS. */
  readonly deleted = new Map<string, StackRecord>();
  readonly changeSets = new Map<string, ChangeSetRecord>();

  constructor(private readonly file: string | undefined) {
    if (file === undefined) return;
    const saved = readJsonFile<{ stacks?: StackRecord[]; changeSets?: ChangeSetRecord[] }>(file) ?? {};
    for (const stack of saved.stacks ?? []) this.stacks.set(stack.stackName, stack);
    for (const changeSet of saved.changeSets ?? []) this.changeSets.set(changeSet.id, changeSet);
  }

  findStack(nameOrId: string): StackRecord | undefined {
    return this.stacks.get(nameOrId) ?? [...this.stacks.values()].find((s) => s.stackId === nameOrId) ?? this.deleted.get(nameOrId);
  }

  findChangeSet(nameOrId: string, stackName?: string): ChangeSetRecord | undefined {
    const byId = this.changeSets.get(nameOrId);
    if (byId) return byId;
    const stack = stackName === undefined ? undefined : this.findStack(stackName);
    return [...this.changeSets.values()].find((c) => c.name === nameOrId && (stack === undefined || c.stackId === stack.stackId));
  }

  /** Written to a temporary file and renamed, so a crash never leaves half a file. */
  save(): void {
    if (this.file !== undefined) writeJsonFile(this.file, { stacks: [...this.stacks.values()], changeSets: [...this.changeSets.values()] });
  }
}
