/** Parameter Store's parameters: the latest version of each, kept in a JSON file when given one. */
import { readJsonFile, writeJsonFile } from "../json-file.ts";
import { ParameterAlreadyExistsError, SsmValidationError } from "./errors.ts";

export type ParameterType = "String" | "StringList" | "SecureString";

export interface StoredParameter {
  readonly name: string;
  readonly type: ParameterType;
  readonly value: string;
  readonly version: number;
  /** Milliseconds since the epoch. */
  readonly lastModified: number;
  readonly description?: string;
}

export interface PutOptions {
  /** @default "String" for a new parameter, the current type for an existing one */
  readonly type?: ParameterType;
  /** Replace an existing parameter's value (a new version) instead of failing. @default false */
  readonly overwrite?: boolean;
  readonly description?: string;
}

const TYPES: readonly string[] = ["String", "StringList", "SecureString"];

export function isParameterType(value: unknown): value is ParameterType {
  return typeof value === "string" && TYPES.includes(value);
}

export class ParameterStore {
  private readonly parameters: Map<string, StoredParameter>;

  constructor(private readonly file?: string) {
    this.parameters = new Map((file === undefined ? [] : readParameters(file)).map((parameter) => [parameter.name, parameter]));
  }

  get(name: string): StoredParameter | undefined {
    return this.parameters.get(name);
  }

  /** Returns the new version; throws ParameterAlreadyExistsError unless overwriting. */
  put(name: string, value: string, options: PutOptions = {}): StoredParameter {
    if (name.trim() === "") throw new SsmValidationError("Parameter name must not be empty.");
    if (value === "") throw new SsmValidationError("1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1");
    const current = this.parameters.get(name);
    if (current !== undefined && options.overwrite !== true) throw new ParameterAlreadyExistsError(name);
    const description = options.description ?? current?.description;
    const parameter: StoredParameter = {
      name,
      type: options.type ?? current?.type ?? "String",
      value,
      version: (current?.version ?? 0) + 1,
      lastModified: Date.now(),
      ...(description === undefined ? {} : { description }),
    };
    this.parameters.set(name, parameter);
    this.save();
    return parameter;
  }

  /** Whether there was a parameter to delete. */
  delete(name: string): boolean {
    const existed = this.parameters.delete(name);
    if (existed) this.save();
    return existed;
  }

  all(): StoredParameter[] {
    return [...this.parameters.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  private save(): void {
    if (this.file !== undefined) writeJsonFile(this.file, this.all());
  }
}

function readParameters(file: string): StoredParameter[] {
  const parsed = readJsonFile<unknown>(file);
  return Array.isArray(parsed) ? (parsed as StoredParameter[]) : [];
}
