import { randomUUID } from "node:crypto";
import type { Template } from "../deployer/cloud-assembly.ts";
import type { CloudContext } from "../types.ts";
import { diffResources } from "./change-set-diff.ts";
import { applyTemplate, deleteResources, type OperationTargets } from "./stack-operation.ts";
import { resolveParameters, StackValidationError } from "./stack-parameters.ts";
import type { ChangeSetRecord, StackRecord, StackRecords, StackStatus } from "./stack-records.ts";

/** A template and its parameters, as a change set or a direct create/update submits them. */
export interface StackSubmission {
  readonly stackName: string;
  readonly templateBody: string;
  readonly template: Template;
  readonly parameters: ReadonlyMap<string, { value?: string; usePrevious?: boolean }>;
  readonly capabilities?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * When an SSM-typed parameter names no parameter, keep its value (the name) instead of
   * failing. Only for the local cloud's own deployment of a cloud assembly, which runs
   * without a bootstrap stack; anything deployed through the API is checked as
   * CloudFormation checks it.
   */
  readonly lenientSsmParameters?: boolean;
}

/** A deployment that the local cloud ran itself and that rolled back. */
export class StackDeploymentError extends Error {
  override readonly name = "StackDeploymentError";
}

/** The same parameter values and outputs: with no resource changed either, an update has nothing to do. */
function sameInputs(stack: StackRecord, template: Template, parameterValues: Record<string, string>): boolean {
  return JSON.stringify(parameterValues) === JSON.stringify(stack.parameters) && JSON.stringify(template.Outputs ?? {}) === JSON.stringify(stack.template.Outputs ?? {});
}

const NO_CHANGES = "The submitted information didn't contain changes. Submit different information to create a change set.";
const EVENTS_KEPT = 2_000;
const IN_PROGRESS = /_IN_PROGRESS$/;

/**
 * CloudFormation's control plane: change sets, stack creation, update and deletion with
 * rollback, and the events that tell a client how it went. Operations run in the
 * background, one at a time per stack, as on AWS; `settled` waits for a stack's.
 */
export class StackEngine {
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly ctx: CloudContext,
    readonly records: StackRecords,
    private readonly targets: OperationTargets,
    private readonly ssmLookup: (name: string) => string | undefined,
  ) {}

  createChangeSet(submission: StackSubmission, name: string, type: "CREATE" | "UPDATE", description?: string): ChangeSetRecord {
    let stack = this.records.stacks.get(submission.stackName);
    if (type === "CREATE" && stack && stack.status !== "REVIEW_IN_PROGRESS") {
      throw new StackValidationError(`Stack [${submission.stackName}] already exists and cannot be created again with the changeSet [${name}].`);
    }
    if (type === "UPDATE" && (!stack || stack.status === "REVIEW_IN_PROGRESS")) throw this.doesNotExist(submission.stackName);
    if (stack) this.assertIdle(stack);
    const parameters = resolveParameters(submission.template, submission.parameters, stack?.parameters ?? {}, this.ssmLookup);
    if (!stack) {
      stack = this.newStack(submission, "REVIEW_IN_PROGRESS");
      this.event(stack, stack.stackName, stack.stackId, "AWS::CloudFormation::Stack", "REVIEW_IN_PROGRESS", "User Initiated");
    }
    const changes = diffResources(type === "CREATE" ? undefined : stack, submission.template);
    const empty = type === "UPDATE" && changes.length === 0 && sameInputs(stack, submission.template, parameters.values);
    const changeSet: ChangeSetRecord = {
      id: `arn:aws:cloudformation:${this.ctx.region}:${this.ctx.accountId}:changeSet/${name}/${randomUUID()}`,
      name,
      stackId: stack.stackId,
      stackName: stack.stackName,
      type,
      status: empty ? "FAILED" : "CREATE_COMPLETE",
      ...(empty ? { statusReason: NO_CHANGES } : {}),
      executionStatus: empty ? "UNAVAILABLE" : "AVAILABLE",
      ...(description === undefined ? {} : { description }),
      createdAt: new Date().toISOString(),
      templateBody: submission.templateBody,
      template: submission.template,
      parameters: parameters.values,
      capabilities: [...(submission.capabilities ?? [])],
      tags: { ...(submission.tags ?? {}) },
      changes,
    };
    this.records.changeSets.set(changeSet.id, changeSet);
    this.records.save();
    return changeSet;
  }

  executeChangeSet(changeSet: ChangeSetRecord): void {
    if (changeSet.executionStatus !== "AVAILABLE") {
      throw new StackValidationError(`ChangeSet [${changeSet.id}] cannot be executed in its current execution status of [${changeSet.executionStatus}]`);
    }
    const stack = this.requireStack(changeSet.stackName);
    this.assertIdle(stack);
    changeSet.executionStatus = "EXECUTE_IN_PROGRESS";
    for (const other of this.records.changeSets.values()) {
      if (other.stackId === stack.stackId && other !== changeSet) other.executionStatus = "OBSOLETE";
    }
    this.start(stack, async () => {
      await this.deploy(stack, { ...changeSet, stackName: stack.stackName, parameters: new Map(Object.entries(changeSet.parameters).map(([key, value]) => [key, { value }])) });
      changeSet.executionStatus = "EXECUTE_COMPLETE";
    });
  }

  deleteChangeSet(changeSet: ChangeSetRecord): void {
    this.records.changeSets.delete(changeSet.id);
    this.records.save();
  }

  /** CreateStack, or the local cloud's own deployment of a stack (awaited through `settled`). */
  createStack(submission: StackSubmission): StackRecord {
    const existing = this.records.stacks.get(submission.stackName);
    if (existing && existing.status !== "REVIEW_IN_PROGRESS") throw new StackValidationError(`Stack [${submission.stackName}] already exists`);
    resolveParameters(submission.template, submission.parameters, {}, this.lookupFor(submission));
    const stack = existing ?? this.newStack(submission, "CREATE_IN_PROGRESS");
    this.start(stack, () => this.deploy(stack, submission));
    return stack;
  }

  updateStack(submission: StackSubmission): StackRecord {
    const stack = this.requireStack(submission.stackName);
    this.assertIdle(stack);
    const parameters = resolveParameters(submission.template, submission.parameters, stack.parameters, this.lookupFor(submission));
    const same = diffResources(stack, submission.template).length === 0 && sameInputs(stack, submission.template, parameters.values);
    if (same) throw new StackValidationError("No updates are to be performed.");
    this.start(stack, () => this.deploy(stack, submission));
    return stack;
  }

  deleteStack(nameOrId: string): void {
    const stack = this.records.findStack(nameOrId);
    if (!stack || stack.status === "DELETE_COMPLETE") return; // deleting a stack that is gone succeeds, as on AWS
    if (stack.status === "DELETE_IN_PROGRESS") return;
    this.assertIdle(stack);
    this.start(stack, async () => {
      this.setStatus(stack, "DELETE_IN_PROGRESS", "User Initiated");
      try {
        await deleteResources(stack, new Set(), this.targets, this.eventSink(stack), true);
      } catch (error) {
        this.setStatus(stack, "DELETE_FAILED", `The following resource(s) failed to delete: [${(error as { logicalId?: string }).logicalId ?? "?"}]. `);
        return;
      }
      this.setStatus(stack, "DELETE_COMPLETE");
      this.records.stacks.delete(stack.stackName);
      this.records.deleted.set(stack.stackId, stack);
      for (const [id, changeSet] of this.records.changeSets) if (changeSet.stackId === stack.stackId) this.records.changeSets.delete(id);
      this.records.save();
    });
  }

  /**
   * Creates every persisted stack's resources again, in silence: tables, queues and
   * buckets are still on disk, functions, pollers, schedules and APIs are not.
   */
  async restore(): Promise<void> {
    for (const stack of [...this.records.stacks.values()]) {
      if (stack.status === "REVIEW_IN_PROGRESS" || stack.status === "DELETE_COMPLETE") continue;
      if (IN_PROGRESS.test(stack.status)) {
        // The local cloud stopped mid-operation: nothing will finish it now.
        this.setStatus(stack, stack.status.startsWith("UPDATE") ? "UPDATE_ROLLBACK_FAILED" : stack.status.startsWith("DELETE") ? "DELETE_FAILED" : "ROLLBACK_FAILED", "The local cloud stopped during this operation");
      }
      try {
        // With the values it was deployed with: what SSM holds now is for the next deployment to read.
        const parameters = { values: stack.parameters, resolved: stack.resolvedParameters };
        await applyTemplate(stack, { template: stack.template, parameters, mode: "restore" }, this.targets, () => {});
      } catch (error) {
        this.ctx.log("cloudformation", `${stack.stackName}: could not start its resources again: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.records.save();
  }

  /**
   * Creates or updates a stack and waits until it is done: the local cloud's own
   * deployment of a cloud assembly. Throws with the failed resource's reason when the
   * operation rolled back.
   */
  async deployAndWait(submission: StackSubmission): Promise<StackRecord> {
    const existing = this.records.stacks.get(submission.stackName);
    if (existing && IN_PROGRESS.test(existing.status) && existing.status !== "REVIEW_IN_PROGRESS") await this.settled(existing.stackName);
    if (existing?.status === "ROLLBACK_COMPLETE" || existing?.status === "ROLLBACK_FAILED") {
      // As the CDK CLI does: a stack that never got created is deleted before trying again.
      this.deleteStack(existing.stackName);
      await this.settled(existing.stackName);
    }
    const current = this.records.stacks.get(submission.stackName);
    const startedAt = new Date().toISOString();
    let stack: StackRecord;
    if (!current || current.status === "REVIEW_IN_PROGRESS") stack = this.createStack(submission);
    else {
      try {
        stack = this.updateStack(submission);
      } catch (error) {
        if (error instanceof StackValidationError && error.message === "No updates are to be performed.") return current;
        throw error;
      }
    }
    await this.settled(stack.stackName);
    if (stack.status !== "CREATE_COMPLETE" && stack.status !== "UPDATE_COMPLETE") {
      const failure = stack.events.find((event) => event.timestamp >= startedAt && event.resourceStatus.endsWith("_FAILED") && event.resourceType !== "AWS::CloudFormation::Stack");
      throw new StackDeploymentError(`${stack.stackName}: ${stack.status}${failure ? ` — ${failure.logicalResourceId}: ${failure.resourceStatusReason ?? ""}` : ""}`);
    }
    return stack;
  }

  /** Waits for the stack's running operation, if any. */
  async settled(stackName: string): Promise<void> {
    await this.running.get(stackName);
  }

  requireStack(nameOrId: string): StackRecord {
    const stack = this.records.findStack(nameOrId);
    if (!stack || stack.status === "DELETE_COMPLETE" && !nameOrId.startsWith("arn:")) throw this.doesNotExist(nameOrId);
    return stack;
  }

  doesNotExist(nameOrId: string): StackValidationError {
    return new StackValidationError(`Stack with id ${nameOrId} does not exist`);
  }

  private async deploy(stack: StackRecord, submission: StackSubmission): Promise<void> {
    const creating = stack.status === "REVIEW_IN_PROGRESS" || stack.status === "CREATE_IN_PROGRESS";
    const previous = creating ? undefined : { template: stack.template, templateBody: stack.templateBody, parameters: stack.parameters, resolved: stack.resolvedParameters };
    const parameters = resolveParameters(submission.template, submission.parameters, stack.parameters, this.lookupFor(submission));
    this.setStatus(stack, creating ? "CREATE_IN_PROGRESS" : "UPDATE_IN_PROGRESS", "User Initiated");
    const events = this.eventSink(stack);
    try {
      await applyTemplate(stack, { template: submission.template, parameters, mode: "deploy" }, this.targets, events);
      Object.assign(stack, {
        template: submission.template,
        templateBody: submission.templateBody,
        parameters: parameters.values,
        resolvedParameters: parameters.resolved,
        description: submission.template.Description,
        capabilities: [...(submission.capabilities ?? stack.capabilities)],
        tags: { ...(submission.tags ?? stack.tags) },
      });
      if (!creating) {
        this.setStatus(stack, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS");
        await deleteResources(stack, new Set(Object.keys(submission.template.Resources)), this.targets, events, true);
      }
      this.setStatus(stack, creating ? "CREATE_COMPLETE" : "UPDATE_COMPLETE");
    } catch (error) {
      const failed = (error as { logicalId?: string }).logicalId;
      const reason = failed ? `The following resource(s) failed to ${creating ? "create" : "update"}: [${failed}]. ` : (error as Error).message;
      await (creating ? this.rollBackCreate(stack, reason) : this.rollBackUpdate(stack, previous!, reason));
    }
  }

  private async rollBackCreate(stack: StackRecord, reason: string): Promise<void> {
    this.setStatus(stack, "ROLLBACK_IN_PROGRESS", `${reason}Rollback requested by user.`);
    try {
      await deleteResources(stack, new Set(), this.targets, this.eventSink(stack), true);
      // The stack keeps saying why it rolled back, as the CDK CLI reports it.
      this.setStatus(stack, "ROLLBACK_COMPLETE", reason);
    } catch {
      this.setStatus(stack, "ROLLBACK_FAILED");
    }
  }

  private async rollBackUpdate(stack: StackRecord, previous: { template: Template; parameters: Record<string, string>; resolved: Record<string, string> }, reason: string): Promise<void> {
    this.setStatus(stack, "UPDATE_ROLLBACK_IN_PROGRESS", reason);
    const events = this.eventSink(stack);
    try {
      await applyTemplate(stack, { template: previous.template, parameters: { values: previous.parameters, resolved: previous.resolved }, mode: "deploy" }, this.targets, events);
      this.setStatus(stack, "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS");
      await deleteResources(stack, new Set(Object.keys(previous.template.Resources)), this.targets, events, true);
      this.setStatus(stack, "UPDATE_ROLLBACK_COMPLETE", reason);
    } catch {
      this.setStatus(stack, "UPDATE_ROLLBACK_FAILED");
    }
  }

  private lookupFor(submission: StackSubmission): (name: string) => string | undefined {
    return submission.lenientSsmParameters ? (name) => this.ssmLookup(name) ?? name : this.ssmLookup;
  }

  private start(stack: StackRecord, operation: () => Promise<void>): void {
    const run = operation()
      .catch((error: unknown) => this.ctx.log("cloudformation", `${stack.stackName}: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        if (this.running.get(stack.stackName) === run) this.running.delete(stack.stackName);
        this.records.save();
      });
    this.running.set(stack.stackName, run);
  }

  private assertIdle(stack: StackRecord): void {
    if (this.running.has(stack.stackName) || IN_PROGRESS.test(stack.status) && stack.status !== "REVIEW_IN_PROGRESS") {
      throw new StackValidationError(`Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`);
    }
  }

  private newStack(submission: StackSubmission, status: StackStatus): StackRecord {
    const stack: StackRecord = {
      stackName: submission.stackName,
      stackId: `arn:aws:cloudformation:${this.ctx.region}:${this.ctx.accountId}:stack/${submission.stackName}/${randomUUID()}`,
      status,
      createdAt: new Date().toISOString(),
      templateBody: submission.templateBody,
      template: submission.template,
      ...(submission.template.Description === undefined ? {} : { description: submission.template.Description }),
      parameters: {},
      resolvedParameters: {},
      outputs: [],
      resources: {},
      events: [],
      capabilities: [...(submission.capabilities ?? [])],
      tags: { ...(submission.tags ?? {}) },
    };
    this.records.stacks.set(stack.stackName, stack);
    return stack;
  }

  private setStatus(stack: StackRecord, status: StackStatus, reason?: string): void {
    stack.status = status;
    if (reason === undefined) delete stack.statusReason;
    else stack.statusReason = reason;
    if (status !== "CREATE_IN_PROGRESS" && status !== "REVIEW_IN_PROGRESS") stack.updatedAt = new Date().toISOString();
    this.event(stack, stack.stackName, stack.stackId, "AWS::CloudFormation::Stack", status, reason);
    if (!IN_PROGRESS.test(status) || status.startsWith("ROLLBACK") || status.startsWith("UPDATE_ROLLBACK")) {
      this.ctx.log("cloudformation", `${stack.stackName} ${status}${reason ? `: ${reason}` : ""}`);
    }
    this.records.save();
  }

  private eventSink(stack: StackRecord) {
    return (logicalId: string, physicalId: string, type: string, status: string, reason?: string): void => {
      this.event(stack, logicalId, physicalId, type, status, reason);
      if (status.endsWith("_FAILED")) this.ctx.log("cloudformation", `${stack.stackName} ${logicalId} ${status}: ${reason ?? ""}`);
    };
  }

  private event(stack: StackRecord, logicalId: string, physicalId: string, type: string, status: string, reason?: string): void {
    // Strictly increasing times, so a client that sorts events by time sees them in the order they happened.
    const last = stack.events.at(-1)?.timestamp;
    const now = Math.max(Date.now(), last === undefined ? 0 : Date.parse(last) + 1);
    stack.events.push({
      eventId: randomUUID(),
      stackId: stack.stackId,
      stackName: stack.stackName,
      logicalResourceId: logicalId,
      physicalResourceId: physicalId,
      resourceType: type,
      timestamp: new Date(now).toISOString(),
      resourceStatus: status,
      ...(reason === undefined ? {} : { resourceStatusReason: reason }),
    });
    if (stack.events.length > EVENTS_KEPT) stack.events.splice(0, stack.events.length - EVENTS_KEPT);
  }
}
