import { queryParameters, xmlError, xmlResult } from "../query-protocol.ts";
import type { HttpRequest, HttpResponse, Service } from "../types.ts";
import { changeSetSummaryXml, changeSetXml, eventXml, members, resourceXml, stackXml, summaryXml, tag } from "./cloudformation-xml.ts";
import type { StackEngine, StackSubmission } from "./stack-engine.ts";
import { StackValidationError } from "./stack-parameters.ts";
import { InvalidTemplateError, parseTemplateBody, templateObject } from "./template-source.ts";

const NAMESPACE = "http://cloudformation.amazonaws.com/doc/2010-05-15/";
const PAGE = 100;

class ChangeSetNotFoundError extends Error {
  override readonly name = "ChangeSetNotFoundError";
}

/** Reads an S3 object's text, for TemplateURL. */
export type TemplateFetcher = (bucket: string, key: string) => Promise<string>;

/** Lists in query parameters: `Prefix.member.1`, or `Prefix.member.1.Field` for structures. */
function memberList(params: URLSearchParams, prefix: string): string[] {
  const values: string[] = [];
  for (let index = 1; params.has(`${prefix}.member.${index}`); index++) values.push(params.get(`${prefix}.member.${index}`) ?? "");
  return values;
}

function memberStructs(params: URLSearchParams, prefix: string): Array<Record<string, string>> {
  const items: Array<Record<string, string>> = [];
  for (let index = 1; ; index++) {
    const head = `${prefix}.member.${index}.`;
    const entries = [...params.entries()].filter(([key]) => key.startsWith(head));
    if (entries.length === 0) return items;
    items.push(Object.fromEntries(entries.map(([key, value]) => [key.slice(head.length), value])));
  }
}

/**
 * CloudFormation's API (query protocol) in front of the stack engine: what the CDK
 * CLI, the aws CLI and the SDKs call to deploy, inspect and delete stacks.
 */
export class CloudFormationService implements Service {
  constructor(
    private readonly engine: StackEngine,
    private readonly fetchTemplate: TemplateFetcher,
  ) {}

  async handle(request: HttpRequest): Promise<HttpResponse> {
    const params = queryParameters(request);
    const action = params.get("Action") ?? "";
    try {
      return await this.dispatch(action, params);
    } catch (error) {
      if (error instanceof StackValidationError || error instanceof InvalidTemplateError) return xmlError(400, "ValidationError", error.message, NAMESPACE);
      if (error instanceof ChangeSetNotFoundError) return xmlError(404, "ChangeSetNotFound", error.message, NAMESPACE);
      throw error;
    }
  }

  async stop(): Promise<void> {}

  private async dispatch(action: string, params: URLSearchParams): Promise<HttpResponse> {
    const engine = this.engine;
    const stackName = params.get("StackName") ?? "";
    const result = (inner: string): HttpResponse => xmlResult(action, NAMESPACE, inner);
    switch (action) {
      case "CreateChangeSet": {
        const type = params.get("ChangeSetType") === "CREATE" ? "CREATE" : "UPDATE";
        const submission = await this.submission(params, type === "UPDATE");
        const changeSet = engine.createChangeSet(submission, params.get("ChangeSetName") ?? "", type, params.get("Description") ?? undefined);
        return result(tag("Id", changeSet.id) + tag("StackId", changeSet.stackId));
      }
      case "DescribeChangeSet":
        return result(changeSetXml(this.changeSet(params)));
      case "ExecuteChangeSet":
        engine.executeChangeSet(this.changeSet(params));
        return result("");
      case "DeleteChangeSet": {
        // Deleting a change set that is not there succeeds, as on AWS (the CDK CLI relies on it).
        const changeSet = engine.records.findChangeSet(params.get("ChangeSetName") ?? "", stackName || undefined);
        if (changeSet) engine.deleteChangeSet(changeSet);
        return result("");
      }
      case "ListChangeSets": {
        const stack = engine.requireStack(stackName);
        const list = [...engine.records.changeSets.values()].filter((changeSet) => changeSet.stackId === stack.stackId);
        return result(`<Summaries>${members(list, changeSetSummaryXml)}</Summaries>`);
      }
      case "CreateStack":
        return result(tag("StackId", engine.createStack(await this.submission(params, false)).stackId));
      case "UpdateStack":
        return result(tag("StackId", engine.updateStack(await this.submission(params, true)).stackId));
      case "DeleteStack":
        engine.deleteStack(stackName);
        return result("");
      case "DescribeStacks": {
        const stacks = stackName ? [engine.requireStack(stackName)] : [...engine.records.stacks.values()];
        return result(`<Stacks>${members(stacks, stackXml)}</Stacks>`);
      }
      case "ListStacks": {
        const filter = new Set(memberList(params, "StackStatusFilter"));
        const stacks = [...engine.records.stacks.values(), ...engine.records.deleted.values()].filter((s) => filter.size === 0 || filter.has(s.status));
        return result(`<StackSummaries>${members(stacks, summaryXml)}</StackSummaries>`);
      }
      case "DescribeStackEvents": {
        const events = [...engine.requireStack(stackName).events].reverse();
        const start = Number(params.get("NextToken") ?? "0");
        const page = events.slice(start, start + PAGE);
        const next = start + PAGE < events.length ? tag("NextToken", String(start + PAGE)) : "";
        return result(`<StackEvents>${members(page, eventXml)}</StackEvents>${next}`);
      }
      case "DescribeStackResources":
      case "ListStackResources": {
        const stack = engine.requireStack(stackName);
        const logicalId = params.get("LogicalResourceId");
        const resources = Object.values(stack.resources).filter((resource) => !logicalId || resource.logicalId === logicalId);
        const list = action === "DescribeStackResources" ? "StackResources" : "StackResourceSummaries";
        return result(`<${list}>${members(resources, (resource) => resourceXml(stack, resource, action === "DescribeStackResources"))}</${list}>`);
      }
      case "DescribeStackResource": {
        const stack = engine.requireStack(stackName);
        const resource = stack.resources[params.get("LogicalResourceId") ?? ""];
        if (!resource) throw new StackValidationError(`Resource ${params.get("LogicalResourceId")} does not exist for stack ${stackName}`);
        return result(`<StackResourceDetail>${resourceXml(stack, resource, true)}</StackResourceDetail>`);
      }
      case "GetTemplate": {
        const changeSetName = params.get("ChangeSetName");
        const body = changeSetName ? this.changeSet(params).templateBody : engine.requireStack(stackName).templateBody;
        return result(tag("TemplateBody", body) + `<StagesAvailable><member>Original</member><member>Processed</member></StagesAvailable>`);
      }
      case "GetTemplateSummary":
      case "ValidateTemplate": {
        const template = params.has("TemplateBody") || params.has("TemplateURL")
          ? (await this.submission(params, false, "-")).template
          : engine.requireStack(stackName).template;
        const parameters = members(Object.entries(template.Parameters ?? {}), ([key, declaration]) =>
          tag("ParameterKey", key) + tag("DefaultValue", declaration.Default === undefined ? undefined : String(declaration.Default)) +
          (action === "GetTemplateSummary" ? tag("ParameterType", declaration.Type) : "") + tag("NoEcho", false));
        const types = [...new Set(Object.values(template.Resources).map((resource) => resource.Type))];
        return result(
          `<Parameters>${parameters}</Parameters>` + tag("Description", template.Description) +
          (action === "GetTemplateSummary" ? `<ResourceTypes>${members(types, (type) => type)}</ResourceTypes>` + tag("Version", "2010-09-09") : "") +
          "<Capabilities></Capabilities>",
        );
      }
      case "ListExports":
        return result(`<Exports>${members([...engine.records.stacks.values()].flatMap((s) => s.outputs.filter((o) => o.exportName).map((o) => ({ s, o }))), ({ s, o }) => tag("ExportingStackId", s.stackId) + tag("Name", o.exportName) + tag("Value", o.value))}</Exports>`);
      case "UpdateTerminationProtection":
        return result(tag("StackId", engine.requireStack(stackName).stackId));
      default:
        return xmlError(400, "InvalidAction", `CloudFormation action ${action || "(none)"} is not emulated by the local cloud`, NAMESPACE);
    }
  }

  private changeSet(params: URLSearchParams) {
    const name = params.get("ChangeSetName") ?? "";
    const changeSet = this.engine.records.findChangeSet(name, params.get("StackName") ?? undefined);
    if (!changeSet) throw new ChangeSetNotFoundError(`ChangeSet [${name}] does not exist`);
    return changeSet;
  }

  private async submission(params: URLSearchParams, update: boolean, stackName = params.get("StackName") ?? ""): Promise<StackSubmission> {
    let body = params.get("TemplateBody");
    const url = params.get("TemplateURL");
    if (body === null && url !== null) {
      const { bucket, key } = templateObject(url);
      body = await this.fetchTemplate(bucket, key).catch((error: unknown) => {
        throw new StackValidationError(`S3 error: unable to read the template at ${url}: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
    if (body === null && update && params.get("UsePreviousTemplate") === "true") body = this.engine.requireStack(stackName).templateBody;
    if (body === null) throw new StackValidationError("Either Template URL or Template Body must be specified.");
    const parameters = new Map<string, { value?: string; usePrevious?: boolean }>();
    for (const parameter of memberStructs(params, "Parameters")) {
      const key = parameter.ParameterKey ?? "";
      parameters.set(key, parameter.UsePreviousValue === "true" ? { usePrevious: true } : { value: parameter.ParameterValue ?? "" });
    }
    const tags = Object.fromEntries(memberStructs(params, "Tags").map((item) => [item.Key ?? "", item.Value ?? ""]));
    return { stackName, templateBody: body, template: parseTemplateBody(body), parameters, capabilities: memberList(params, "Capabilities"), tags };
  }
}
