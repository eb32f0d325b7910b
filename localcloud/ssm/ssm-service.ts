/**
 * SSM Parameter Store on the local cloud's endpoint (JSON 1.1, `X-Amz-Target:
 * AmazonSSM.*`), and in-process for the CloudFormation engine. The CDK CLI reads
 * the bootstrap version from `/cdk-bootstrap/hnb659fds/version`.
 */
import { join } from "node:path";
import { rmSync } from "node:fs";
import { handleJsonRpc } from "../json-rpc.ts";
import type { CloudContext, HttpRequest, HttpResponse, Service } from "../types.ts";
import { ParameterNotFoundError, SsmOperationError, SsmValidationError } from "./errors.ts";
import { isParameterType, ParameterStore, type ParameterType, type StoredParameter } from "./parameter-store.ts";

type Input = Record<string, unknown>;

export class SsmService implements Service {
  private readonly store: ParameterStore;

  constructor(
    private readonly ctx: CloudContext,
    options: { reset?: boolean; inMemory?: boolean } = {},
  ) {
    const dir = join(ctx.dataDir, "ssm");
    if (options.reset && !options.inMemory) rmSync(dir, { recursive: true, force: true });
    this.store = new ParameterStore(options.inMemory ? undefined : join(dir, "parameters.json"));
  }

  /** Returns the new version; throws ParameterAlreadyExistsError when it exists and `overwrite` is not set. */
  putParameter(name: string, value: string, options: { type?: ParameterType; overwrite?: boolean } = {}): number {
    return this.store.put(name, value, options).version;
  }

  getParameter(name: string): string | undefined {
    return this.store.get(name)?.value;
  }

  /** Whether it existed; deleting a missing parameter is not an error in-process. */
  deleteParameter(name: string): boolean {
    return this.store.delete(name);
  }

  async handle(request: HttpRequest): Promise<HttpResponse> {
    return handleJsonRpc<Input>(request, "AmazonSSM.", (action, input) => this.dispatch(action, input), {
      isOwnError: (error): error is SsmOperationError => error instanceof SsmOperationError,
      notAnObject: () => new SsmValidationError("The request body must be a JSON object."),
    });
  }

  async stop(): Promise<void> {}

  private dispatch(action: string, input: Input): unknown {
    switch (action) {
      case "GetParameter": {
        const name = requiredString(input, "Name");
        const parameter = this.store.get(name);
        if (parameter === undefined) throw new ParameterNotFoundError(name);
        return { Parameter: this.shape(parameter) };
      }
      case "GetParameters": {
        const names = input["Names"];
        if (!Array.isArray(names) || names.length === 0) throw new SsmValidationError("Names must list at least one parameter name.");
        const found = names.map(String).map((name) => this.store.get(name));
        return {
          Parameters: found.filter((p): p is StoredParameter => p !== undefined).map((p) => this.shape(p)),
          InvalidParameters: names.map(String).filter((_, index) => found[index] === undefined),
        };
      }
      case "GetParametersByPath": {
        const path = requiredString(input, "Path");
        const prefix = path.endsWith("/") ? path : `${path}/`;
        const matches = this.store.all().filter((p) => p.name.startsWith(prefix) && (input["Recursive"] === true || !p.name.slice(prefix.length).includes("/")));
        return { Parameters: matches.map((p) => this.shape(p)) };
      }
      case "PutParameter": {
        const type = input["Type"];
        if (type !== undefined && !isParameterType(type)) throw new SsmValidationError(`Type ${String(type)} is not one of String, StringList, SecureString.`);
        const description = input["Description"];
        const parameter = this.store.put(requiredString(input, "Name"), requiredString(input, "Value"), {
          ...(type === undefined ? {} : { type }),
          overwrite: input["Overwrite"] === true,
          ...(typeof description === "string" ? { description } : {}),
        });
        return { Version: parameter.version, Tier: "Standard" };
      }
      case "DeleteParameter": {
        const name = requiredString(input, "Name");
        if (!this.store.delete(name)) throw new ParameterNotFoundError(name);
        return {};
      }
      case "DescribeParameters":
        return { Parameters: this.store.all().filter((p) => matchesFilters(p, input["ParameterFilters"])).map((p) => this.metadata(p)) };
      default:
        throw new SsmOperationError("InvalidAction", `SSM action ${action || "(none)"} is not emulated by the local cloud`);
    }
  }

  private arn(name: string): string {
    return `arn:aws:ssm:${this.ctx.region}:${this.ctx.accountId}:parameter${name.startsWith("/") ? "" : "/"}${name}`;
  }

  private shape(parameter: StoredParameter): Record<string, unknown> {
    return {
      Name: parameter.name,
      Type: parameter.type,
      Value: parameter.value,
      Version: parameter.version,
      LastModifiedDate: parameter.lastModified / 1000,
      ARN: this.arn(parameter.name),
      DataType: "text",
    };
  }

  private metadata(parameter: StoredParameter): Record<string, unknown> {
    return {
      Name: parameter.name,
      ARN: this.arn(parameter.name),
      Type: parameter.type,
      Version: parameter.version,
      LastModifiedDate: parameter.lastModified / 1000,
      LastModifiedUser: `arn:aws:iam::${this.ctx.accountId}:root`,
      ...(parameter.description === undefined ? {} : { Description: parameter.description }),
      Tier: "Standard",
      Policies: [],
      DataType: "text",
    };
  }
}

function requiredString(input: Input, field: string): string {
  const value = input[field];
  if (typeof value !== "string") throw new SsmValidationError(`1 validation error detected: Value null at '${field.toLowerCase()}' failed to satisfy constraint: Member must not be null`);
  return value;
}

/** DescribeParameters' ParameterFilters on Name (Equals, BeginsWith) and Type; others match everything. */
function matchesFilters(parameter: StoredParameter, filters: unknown): boolean {
  if (!Array.isArray(filters)) return true;
  return filters.every((filter: unknown) => {
    if (typeof filter !== "object" || filter === null) return true;
    const { Key: key, Option: option = "Equals", Values: values = [] } = filter as { Key?: unknown; Option?: unknown; Values?: unknown };
    const wanted = Array.isArray(values) ? values.map(String) : [];
    const field = key === "Name" ? parameter.name : key === "Type" ? parameter.type : undefined;
    if (field === undefined || wanted.length === 0) return true;
    return wanted.some((value) => (option === "BeginsWith" ? field.startsWith(value) : field === value));
  });
}

