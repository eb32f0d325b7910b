import type { Template } from "../deployer/cloud-assembly.ts";

/** A request CloudFormation refuses before it starts (answered as a 400 ValidationError). */
export class StackValidationError extends Error {
  override readonly name = "StackValidationError";
}

const SSM_TYPE = /^AWS::SSM::Parameter::Value<(.+)>$/;

export interface ParameterResolution {
  /** Values as submitted or defaulted; an SSM-typed parameter's value is the parameter's name. */
  readonly values: Record<string, string>;
  /** What SSM-typed parameters resolved to. */
  readonly resolved: Record<string, string>;
}

/**
 * Parameter values for a deployment: submitted, else the previous value when asked
 * (UsePreviousValue), else the default. SSM-typed parameters are looked up in
 * Parameter Store, as CloudFormation does; `lookup` answers undefined for a name it
 * does not have.
 */
export function resolveParameters(
  template: Template,
  submitted: ReadonlyMap<string, { value?: string; usePrevious?: boolean }>,
  previous: Readonly<Record<string, string>>,
  lookup: (name: string) => string | undefined,
): ParameterResolution {
  const values: Record<string, string> = {};
  const resolved: Record<string, string> = {};
  const missing: string[] = [];
  for (const [key, declaration] of Object.entries(template.Parameters ?? {})) {
    const given = submitted.get(key);
    const value = given?.usePrevious ? previous[key] : (given?.value ?? (declaration.Default === undefined ? undefined : String(declaration.Default)));
    if (value === undefined) {
      missing.push(key);
      continue;
    }
    values[key] = value;
    if (SSM_TYPE.test(declaration.Type)) {
      const found = lookup(value);
      if (found === undefined) throw new StackValidationError(`Unable to fetch parameters [${value}] from parameter store for this account.`);
      resolved[key] = found;
    }
  }
  if (missing.length > 0) throw new StackValidationError(`Parameters: [${missing.join(", ")}] must have values`);
  const unknown = [...submitted.keys()].filter((key) => !(key in (template.Parameters ?? {})));
  if (unknown.length > 0) throw new StackValidationError(`Parameters: [${unknown.join(", ")}] do not exist in the template`);
  return { values, resolved };
}

/** What `Ref` to a parameter gives: lists for list types, the SSM value for SSM types. */
export function parameterValue(template: Template, key: string, resolution: ParameterResolution): unknown {
  const type = template.Parameters?.[key]?.Type ?? "String";
  const value = resolution.resolved[key] ?? resolution.values[key] ?? "";
  if (type === "CommaDelimitedList" || /^List</.test(type)) return value === "" ? [] : value.split(",").map((item) => item.trim());
  return value;
}
