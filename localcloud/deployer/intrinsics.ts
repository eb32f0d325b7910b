/**
 * Resolves CloudFormation intrinsic functions against what the deployer has
 * created so far. Unsupported functions fail loudly, naming the function.
 */
export class UnresolvableError extends Error {
  override readonly name = "UnresolvableError";
}

export interface ResolutionScope {
  /** `Ref` of a resource or parameter (a list parameter gives a list), or a pseudo parameter such as AWS::Region. */
  ref(logicalId: string): unknown;
  /** `Fn::GetAtt` of a resource. */
  getAtt(logicalId: string, attribute: string): string;
  /** The value of a named condition. */
  condition(name: string): boolean;
}

const NO_VALUE = Symbol("AWS::NoValue");

export function resolve(value: unknown, scope: ResolutionScope): unknown {
  const resolved = resolveInner(value, scope);
  return resolved === NO_VALUE ? undefined : resolved;
}

function resolveInner(value: unknown, scope: ResolutionScope): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => resolveInner(item, scope)).filter((item) => item !== NO_VALUE);
  }
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const [first] = entries;
  if (entries.length === 1 && first && (first[0] === "Ref" || first[0].startsWith("Fn::") || first[0] === "Condition")) {
    return resolveFunction(first[0], first[1], scope);
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    const resolved = resolveInner(item, scope);
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

function asString(value: unknown, where: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new UnresolvableError(`${where} expected a string, got ${JSON.stringify(value)}`);
}

function resolveFunction(name: string, argument: unknown, scope: ResolutionScope): unknown {
  switch (name) {
    case "Ref":
      return argument === "AWS::NoValue" ? NO_VALUE : scope.ref(asString(argument, "Ref"));
    case "Condition":
      return scope.condition(asString(argument, "Condition"));
    case "Fn::GetAtt": {
      const [logicalId, attribute] = Array.isArray(argument)
        ? (argument as unknown[])
        : asString(argument, "Fn::GetAtt").split(/\.(.*)/s);
      return scope.getAtt(asString(logicalId, "Fn::GetAtt"), asString(resolveInner(attribute, scope), "Fn::GetAtt"));
    }
    case "Fn::Join": {
      const [separator, parts] = argument as [string, unknown];
      const list = resolveInner(parts, scope) as unknown[];
      return list.map((part) => asString(part, "Fn::Join")).join(separator);
    }
    case "Fn::Sub":
      return substitute(argument, scope);
    case "Fn::Select": {
      const [index, list] = argument as [unknown, unknown];
      const items = resolveInner(list, scope) as unknown[];
      const position = Number(resolveInner(index, scope));
      if (!Array.isArray(items) || position < 0 || position >= items.length) {
        throw new UnresolvableError(`Fn::Select index ${position} is out of range`);
      }
      return items[position];
    }
    case "Fn::Split": {
      const [separator, source] = argument as [string, unknown];
      return asString(resolveInner(source, scope), "Fn::Split").split(separator);
    }
    case "Fn::If": {
      const [conditionName, whenTrue, whenFalse] = argument as [string, unknown, unknown];
      return resolveInner(scope.condition(conditionName) ? whenTrue : whenFalse, scope);
    }
    case "Fn::Equals": {
      const [left, right] = argument as [unknown, unknown];
      return JSON.stringify(resolveInner(left, scope)) === JSON.stringify(resolveInner(right, scope));
    }
    case "Fn::Not":
      return !(resolveInner((argument as unknown[])[0], scope) as boolean);
    case "Fn::And":
      return (argument as unknown[]).every((item) => resolveInner(item, scope) === true);
    case "Fn::Or":
      return (argument as unknown[]).some((item) => resolveInner(item, scope) === true);
    case "Fn::GetAZs":
      return ["a", "b", "c"].map((zone) => `${asString(scope.ref("AWS::Region"), "Fn::GetAZs")}${zone}`);
    case "Fn::Base64":
      return Buffer.from(asString(resolveInner(argument, scope), "Fn::Base64")).toString("base64");
    default:
      throw new UnresolvableError(`${name} is not supported by the local cloud's deployer`);
  }
}

/** `Fn::Sub` in both forms: a string, or [string, { name: value }]. */
function substitute(argument: unknown, scope: ResolutionScope): string {
  const [text, variables] = Array.isArray(argument) ? (argument as [string, Record<string, unknown>]) : [argument, {}];
  const bound = Object.fromEntries(Object.entries(variables ?? {}).map(([key, value]) => [key, resolveInner(value, scope)]));
  return asString(text, "Fn::Sub").replace(/\$\{([^}]+)\}/g, (whole, expression: string) => {
    if (expression.startsWith("!")) return whole.replace("${!", "${");
    if (expression in bound) return asString(bound[expression], "Fn::Sub");
    const dot = expression.indexOf(".");
    if (dot > 0 && !expression.startsWith("AWS::")) {
      return scope.getAtt(expression.slice(0, dot), expression.slice(dot + 1));
    }
    return asString(scope.ref(expression), "Fn::Sub");
  });
}

/** Logical ids a value refers to, so resources can be created in dependency order. */
export function referencedLogicalIds(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) referencedLogicalIds(item, into);
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (key === "Ref" && typeof item === "string" && !item.startsWith("AWS::")) into.add(item);
      else if (key === "Fn::GetAtt") {
        const id = Array.isArray(item) ? item[0] : typeof item === "string" ? item.split(".")[0] : undefined;
        if (typeof id === "string") into.add(id);
      } else if (key === "Fn::Sub") {
        const text = Array.isArray(item) ? item[0] : item;
        if (typeof text === "string") {
          for (const match of text.matchAll(/\$\{([^}!][^}]*)\}/g)) {
            const id = (match[1] ?? "").split(".")[0] ?? "";
            if (!id.startsWith("AWS::")) into.add(id);
          }
        }
        if (Array.isArray(item)) referencedLogicalIds(item[1], into);
      } else referencedLogicalIds(item, into);
    }
  }
  return into;
}
