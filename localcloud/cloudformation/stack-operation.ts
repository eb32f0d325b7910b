import type { Template } from "../deployer/cloud-assembly.ts";
import { ApiGatewayAssembler } from "../deployer/api-assembler.ts";
import { dependencyOrder } from "../deployer/dependency-order.ts";
import { resolve, type ResolutionScope, UnresolvableError } from "../deployer/intrinsics.ts";
import { physicalName } from "../deployer/physical-names.ts";
import { ALWAYS_CREATED, type CreatedResource, type DeployTargets, RESOURCE_HANDLERS } from "../deployer/resource-handlers.ts";
import type { RestApiDefinition } from "../types.ts";
import { parameterValue, type ParameterResolution } from "./stack-parameters.ts";
import type { ResourceRecord, StackOutput, StackRecord } from "./stack-records.ts";

/** Where resources are made, plus the API Gateway registry whole APIs are handed to. */
export interface OperationTargets extends DeployTargets {
  readonly restApis: { put(definition: RestApiDefinition): void; delete(id: string): void };
}

/** How an operation reports progress: one call per resource or stack event. */
export type EventSink = (logicalId: string, physicalId: string, type: string, status: string, reason?: string) => void;

/** A resource that could not be created, updated or deleted; its reason goes into the events. */
export class ResourceOperationError extends Error {
  override readonly name = "ResourceOperationError";
  constructor(readonly logicalId: string, message: string) {
    super(message);
  }
}

export interface ApplyInput {
  readonly template: Template;
  readonly parameters: ParameterResolution;
  /**
   * "deploy" creates or updates what changed and reports each step; "restore" creates
   * everything again in silence (the local cloud starting: tables and queues are kept on
   * disk, functions and pollers are not).
   */
  readonly mode: "deploy" | "restore";
}

const stable = (value: unknown): string =>
  JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : item,
  );

/**
 * Brings a stack's resources to what a template says: creates new ones and updates
 * changed ones in dependency order, then deletes the ones the template dropped, in
 * reverse order. The stack's resource records follow every step, so a failure part way
 * leaves them telling what exists, which is what a rollback works from.
 */
export async function applyTemplate(stack: StackRecord, input: ApplyInput, targets: OperationTargets, event: EventSink): Promise<void> {
  const { template, parameters, mode } = input;
  const { ctx } = targets;
  const created = new Map<string, CreatedResource>();
  const pseudo: Record<string, string> = {
    "AWS::Region": ctx.region,
    "AWS::AccountId": ctx.accountId,
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackName": stack.stackName,
    "AWS::StackId": stack.stackId,
    "AWS::NotificationARNs": "",
  };
  const conditions = new Map<string, boolean>();
  const scope: ResolutionScope = {
    ref(logicalId) {
      if (logicalId in pseudo) return pseudo[logicalId];
      const resource = created.get(logicalId);
      if (resource) return resource.ref;
      if (template.Parameters?.[logicalId]) return parameterValue(template, logicalId, parameters);
      throw new UnresolvableError(`Ref to ${logicalId}, which is not (yet) created`);
    },
    getAtt(logicalId, attribute) {
      const value = created.get(logicalId)?.attributes[attribute];
      if (value === undefined) throw new UnresolvableError(`Fn::GetAtt ${logicalId}.${attribute} is not available`);
      return value;
    },
    condition(name) {
      const known = conditions.get(name);
      if (known !== undefined) return known;
      const value = resolve(template.Conditions?.[name], scope) === true;
      conditions.set(name, value);
      return value;
    },
  };

  const api = new ApiGatewayAssembler();
  const wanted = dependencyOrder(template.Resources).filter((id) => {
    const resource = template.Resources[id];
    return resource !== undefined && (resource.Condition === undefined || scope.condition(resource.Condition));
  });
  for (const logicalId of wanted) {
    const resource = template.Resources[logicalId];
    if (!resource) continue;
    const old = stack.resources[logicalId];
    let properties: Record<string, unknown>;
    try {
      properties = (resolve(resource.Properties ?? {}, scope) ?? {}) as Record<string, unknown>;
    } catch (error) {
      throw fail(logicalId, resource.Type, old, error, mode === "deploy" ? event : undefined, old === undefined ? "CREATE" : "UPDATE");
    }
    const changed = old === undefined || old.status.endsWith("_FAILED") || old.type !== resource.Type || stable(old.properties) !== stable(properties);
    const handler = RESOURCE_HANDLERS[resource.Type];
    if (old !== undefined && !changed && mode === "deploy" && !(handler && ALWAYS_CREATED.has(resource.Type))) {
      created.set(logicalId, { ref: old.physicalId, attributes: old.attributes });
      continue;
    }
    const verb: "CREATE" | "UPDATE" = old === undefined || old.status === "CREATE_FAILED" ? "CREATE" : "UPDATE";
    const report = mode === "deploy" && changed;
    if (report) event(logicalId, old?.physicalId ?? "", resource.Type, `${verb}_IN_PROGRESS`);
    let result: CreatedResource;
    if (!handler) {
      // Accepted but not run: ids that look like AWS's, so references to it resolve.
      const placeholder = physicalName(stack.stackName, logicalId, 64);
      const service = resource.Type.split("::")[1]?.toLowerCase() ?? "unknown";
      result = { ref: placeholder, attributes: { Arn: `arn:aws:${service}::${ctx.accountId}:${placeholder}` }, emulated: false };
    } else {
      try {
        result = await handler.create({
          logicalId,
          physicalName: (maxLength) => physicalName(stack.stackName, logicalId, maxLength),
          properties,
          metadata: resource.Metadata ?? {},
          stackName: stack.stackName,
          targets,
          api,
        });
      } catch (error) {
        stack.resources[logicalId] = { ...(old ?? record(logicalId, resource.Type, "", properties, {}, true, resource.DeletionPolicy)), status: `${verb}_FAILED` };
        if (mode === "restore") {
          // Marked failed, so the next deployment creates it again even if its template did not change.
          ctx.log("cloudformation", `${stack.stackName} ${logicalId}: not started again: ${error instanceof Error ? error.message : String(error)}`);
          if (old) created.set(logicalId, { ref: old.physicalId, attributes: old.attributes });
          continue;
        }
        throw fail(logicalId, resource.Type, old, error, mode === "deploy" ? event : undefined, verb);
      }
    }
    created.set(logicalId, result);
    stack.resources[logicalId] = {
      ...record(logicalId, resource.Type, result.ref, properties, result.attributes, result.emulated !== false, resource.DeletionPolicy),
      status: `${verb}_COMPLETE`,
    };
    if (report) event(logicalId, result.ref, resource.Type, `${verb}_COMPLETE`);
  }

  const apis = api.definitions(new Date(stack.createdAt));
  for (const definition of apis) targets.restApis.put(definition);

  stack.outputs = [];
  for (const [key, output] of Object.entries(template.Outputs ?? {})) {
    if (output.Condition && !scope.condition(output.Condition)) continue;
    const exportName = (output as { Export?: { Name?: unknown } }).Export?.Name;
    stack.outputs.push({
      key,
      value: localUrl(String(resolve(output.Value, scope)), ctx.endpoint),
      ...(output.Description === undefined ? {} : { description: output.Description }),
      ...(exportName === undefined ? {} : { exportName: String(resolve(exportName, scope)) }),
    } satisfies StackOutput);
  }
}

/** Deletes the stack's resources that `keep` does not name, dependents first. */
export async function deleteResources(stack: StackRecord, keep: ReadonlySet<string>, targets: OperationTargets, event: EventSink, report: boolean): Promise<void> {
  const definitions = Object.fromEntries(Object.entries(stack.resources).map(([id, resource]) => [id, stack.template.Resources[id] ?? { Type: resource.type }]));
  const order = dependencyOrder(definitions).filter((id) => !keep.has(id)).reverse();
  for (const logicalId of order) {
    const resource = stack.resources[logicalId];
    if (!resource) continue;
    if (resource.deletionPolicy === "Retain" || resource.deletionPolicy === "RetainExceptOnCreate") {
      if (report) event(logicalId, resource.physicalId, resource.type, "DELETE_SKIPPED");
      delete stack.resources[logicalId];
      continue;
    }
    if (report) event(logicalId, resource.physicalId, resource.type, "DELETE_IN_PROGRESS");
    try {
      if (resource.type === "AWS::ApiGateway::RestApi") targets.restApis.delete(resource.physicalId);
      else if (resource.emulated && resource.physicalId !== "") {
        await RESOURCE_HANDLERS[resource.type]?.delete?.({ logicalId, physicalId: resource.physicalId, properties: resource.properties, targets });
      }
    } catch (error) {
      stack.resources[logicalId] = { ...resource, status: "DELETE_FAILED" };
      throw fail(logicalId, resource.type, resource, error, report ? event : undefined, "DELETE");
    }
    delete stack.resources[logicalId];
    if (report) event(logicalId, resource.physicalId, resource.type, "DELETE_COMPLETE");
  }
}

function record(
  logicalId: string,
  type: string,
  physicalId: string,
  properties: Record<string, unknown>,
  attributes: Readonly<Record<string, string>>,
  emulated: boolean,
  deletionPolicy: string | undefined,
): Omit<ResourceRecord, "status"> {
  return { logicalId, type, physicalId, properties, attributes, emulated, updatedAt: new Date().toISOString(), ...(deletionPolicy ? { deletionPolicy } : {}) };
}

function fail(
  logicalId: string,
  type: string,
  old: ResourceRecord | undefined,
  error: unknown,
  event: EventSink | undefined,
  verb: "CREATE" | "UPDATE" | "DELETE",
): ResourceOperationError {
  const reason = error instanceof Error ? error.message : String(error);
  event?.(logicalId, old?.physicalId ?? "", type, `${verb}_FAILED`, reason);
  return new ResourceOperationError(logicalId, reason);
}

/** An API's AWS invoke URL becomes the local one, so outputs work from this machine. */
export function localUrl(value: string, endpoint: string): string {
  return value.replace(
    /^https:\/\/([a-z0-9]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com\/(.*)$/,
    (_whole, apiId: string, rest: string) => `${endpoint}/_aws/execute-api/${apiId}/${rest}`,
  );
}
