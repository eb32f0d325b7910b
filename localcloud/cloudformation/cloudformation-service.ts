import type { DeployedStack } from "../deployer/deployed-stack.ts";
import { escapeXml, queryParameters, xmlError, xmlResult } from "../query-protocol.ts";
import type { HttpRequest, HttpResponse, Service } from "../types.ts";

const NAMESPACE = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

/**
 * The read side of CloudFormation for stacks the local deployer created:
 * DescribeStacks (with outputs), ListStacks, DescribeStackResources, ListStackResources.
 */
export class CloudFormationService implements Service {
  private readonly stacks = new Map<string, DeployedStack>();

  putStack(stack: DeployedStack): void {
    this.stacks.set(stack.stackName, stack);
  }

  async handle(request: HttpRequest): Promise<HttpResponse> {
    const params = queryParameters(request);
    const action = params.get("Action") ?? "";
    switch (action) {
      case "DescribeStacks": {
        const stacks = this.select(params.get("StackName"));
        if (!stacks) return this.missing(params.get("StackName") ?? "");
        return xmlResult(action, NAMESPACE, `<Stacks>${stacks.map(stackXml).join("")}</Stacks>`);
      }
      case "ListStacks":
        return xmlResult(action, NAMESPACE, `<StackSummaries>${[...this.stacks.values()].map(summaryXml).join("")}</StackSummaries>`);
      case "DescribeStackResources":
      case "ListStackResources": {
        const stacks = this.select(params.get("StackName"));
        const stack = stacks?.[0];
        if (!stack) return this.missing(params.get("StackName") ?? "");
        const list = action === "DescribeStackResources" ? "StackResources" : "StackResourceSummaries";
        return xmlResult(action, NAMESPACE, `<${list}>${stack.resources.map((r) => resourceXml(stack, r)).join("")}</${list}>`);
      }
      default:
        return xmlError(400, "InvalidAction", `CloudFormation action ${action || "(none)"} is not emulated by the local cloud`, NAMESPACE);
    }
  }

  async stop(): Promise<void> {}

  private select(name: string | null): DeployedStack[] | undefined {
    if (!name) return [...this.stacks.values()];
    const stack = this.stacks.get(name) ?? [...this.stacks.values()].find((s) => s.stackId === name);
    return stack ? [stack] : undefined;
  }

  private missing(name: string): HttpResponse {
    return xmlError(400, "ValidationError", `Stack with id ${name} does not exist`, NAMESPACE);
  }
}

const tag = (name: string, value: string | undefined): string => (value === undefined ? "" : `<${name}>${escapeXml(value)}</${name}>`);

function stackXml(stack: DeployedStack): string {
  const outputs = Object.entries(stack.outputs)
    .map(([key, value]) => `<member>${tag("OutputKey", key)}${tag("OutputValue", value)}</member>`)
    .join("");
  return (
    `<member>${tag("StackId", stack.stackId)}${tag("StackName", stack.stackName)}${tag("Description", stack.description)}` +
    `${tag("CreationTime", stack.createdAt.toISOString())}<StackStatus>CREATE_COMPLETE</StackStatus>` +
    `<DisableRollback>false</DisableRollback><Outputs>${outputs}</Outputs></member>`
  );
}

function summaryXml(stack: DeployedStack): string {
  return (
    `<member>${tag("StackId", stack.stackId)}${tag("StackName", stack.stackName)}` +
    `${tag("CreationTime", stack.createdAt.toISOString())}<StackStatus>CREATE_COMPLETE</StackStatus></member>`
  );
}

function resourceXml(stack: DeployedStack, resource: DeployedStack["resources"][number]): string {
  return (
    `<member>${tag("StackName", stack.stackName)}${tag("StackId", stack.stackId)}${tag("LogicalResourceId", resource.logicalId)}` +
    `${tag("PhysicalResourceId", resource.physicalId)}${tag("ResourceType", resource.type)}` +
    `${tag("Timestamp", stack.createdAt.toISOString())}${tag("LastUpdatedTimestamp", stack.createdAt.toISOString())}` +
    `<ResourceStatus>CREATE_COMPLETE</ResourceStatus></member>`
  );
}
