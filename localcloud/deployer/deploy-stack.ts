import type { StackArtifact } from "./cloud-assembly.ts";
import { ApiGatewayAssembler } from "./api-assembler.ts";
import { dependencyOrder } from "./dependency-order.ts";
import type { DeployedResource, DeployedStack } from "./deployed-stack.ts";
import { resolve, type ResolutionScope, UnresolvableError } from "./intrinsics.ts";
import { physicalName, shortId } from "./physical-names.ts";
import { type CreatedResource, type DeployTargets, RESOURCE_HANDLERS } from "./resource-handlers.ts";

export interface DeployOptions {
  readonly assemblyDir: string;
  readonly targets: DeployTargets;
  readonly putRestApi: (definition: import("../types.ts").RestApiDefinition) => void;
}

/**
 * Creates a stack's resources in dependency order, resolving intrinsics as it goes.
 * Types it does not run (IAM, permissions, policies, …) get placeholder ids so
 * references to them still resolve, and are reported, never skipped in silence.
 */
export async function deployStack(stack: StackArtifact, options: DeployOptions): Promise<DeployedStack> {
  const { ctx } = options.targets;
  const { template, stackName } = stack;
  const created = new Map<string, CreatedResource>();
  const api = new ApiGatewayAssembler();
  const stackId = `arn:aws:cloudformation:${ctx.region}:${ctx.accountId}:stack/${stackName}/${shortId(stackName)}`;
  const pseudo: Record<string, string> = {
    "AWS::Region": ctx.region,
    "AWS::AccountId": ctx.accountId,
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackName": stackName,
    "AWS::StackId": stackId,
    "AWS::NotificationARNs": "",
  };
  const conditionCache = new Map<string, boolean>();

  const scope: ResolutionScope = {
    ref(logicalId) {
      if (logicalId in pseudo) return pseudo[logicalId] as string;
      const resource = created.get(logicalId);
      if (resource) return resource.ref;
      const parameter = template.Parameters?.[logicalId];
      if (parameter) return String(parameter.Default ?? "");
      throw new UnresolvableError(`Ref to ${logicalId}, which is not (yet) created`);
    },
    getAtt(logicalId, attribute) {
      const resource = created.get(logicalId);
      const value = resource?.attributes[attribute];
      if (value === undefined) throw new UnresolvableError(`Fn::GetAtt ${logicalId}.${attribute} is not available`);
      return value;
    },
    condition(name) {
      const cached = conditionCache.get(name);
      if (cached !== undefined) return cached;
      const value = resolve(template.Conditions?.[name], scope) === true;
      conditionCache.set(name, value);
      return value;
    },
  };

  const resources: DeployedResource[] = [];
  const notEmulated = new Set<string>();
  for (const logicalId of dependencyOrder(template.Resources)) {
    const resource = template.Resources[logicalId];
    if (!resource || (resource.Condition && !scope.condition(resource.Condition))) continue;
    const handler = RESOURCE_HANDLERS[resource.Type];
    if (!handler) {
      // Accepted but not run: give it ids that look like AWS's so references resolve.
      const placeholder = physicalName(stackName, logicalId, 64);
      const service = resource.Type.split("::")[1]?.toLowerCase() ?? "unknown";
      created.set(logicalId, {
        ref: placeholder,
        attributes: { Arn: `arn:aws:${service}::${ctx.accountId}:${placeholder}` },
      });
      resources.push({ logicalId, physicalId: placeholder, type: resource.Type, emulated: false });
      notEmulated.add(resource.Type);
      continue;
    }
    const properties = (resolve(resource.Properties ?? {}, scope) ?? {}) as Record<string, unknown>;
    const result = await handler({
      logicalId,
      physicalName: (maxLength) => physicalName(stackName, logicalId, maxLength),
      properties,
      metadata: resource.Metadata ?? {},
      stackName,
      assetFolders: stack.assetFolders,
      assemblyDir: options.assemblyDir,
      targets: options.targets,
      api,
    });
    created.set(logicalId, result);
    const emulated = result.emulated !== false;
    resources.push({ logicalId, physicalId: result.ref, type: resource.Type, emulated });
    if (!emulated) notEmulated.add(resource.Type);
  }

  const createdAt = new Date();
  for (const definition of api.definitions(createdAt)) options.putRestApi(definition);

  const outputs: Record<string, string> = {};
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    if (output.Condition && !scope.condition(output.Condition)) continue;
    outputs[name] = localUrl(String(resolve(output.Value, scope)), ctx.endpoint);
  }
  return {
    stackName,
    stackId,
    description: (template as { Description?: string }).Description,
    createdAt,
    outputs,
    resources,
    notEmulated: [...notEmulated].sort(),
  };
}

/** An API's AWS invoke URL becomes the local one, so outputs work from this machine. */
export function localUrl(value: string, endpoint: string): string {
  return value.replace(
    /^https:\/\/([a-z0-9]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com\/(.*)$/,
    (_whole, apiId: string, rest: string) => `${endpoint}/_aws/execute-api/${apiId}/${rest}`,
  );
}
