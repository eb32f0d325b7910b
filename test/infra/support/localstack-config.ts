/**
 * What LocalStack needs to deploy and run a template, derived from the template
 * itself. The facts (and the LocalStack source they come from) are in docs/localstack.md.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";

/** The environment of the `localstack` service of a compose file, as name → value. */
export function composeEnvironment(file: string): Map<string, string> {
  const compose = parse(readFileSync(file, "utf8")) as { services?: Record<string, { environment?: unknown }> };
  const environment = compose.services?.localstack?.environment;
  const entries: [string, string][] = Array.isArray(environment)
    ? environment.map((line) => {
        const text = String(line);
        const eq = text.indexOf("=");
        return eq === -1 ? [text, ""] : [text.slice(0, eq), text.slice(eq + 1)];
      })
    : Object.entries((environment ?? {}) as Record<string, unknown>).map(([name, value]) => [name, value == null ? "" : String(value)]);
  return new Map(entries);
}

/**
 * LocalStack's service name for a CloudFormation type, as its change-set checker
 * names it: the second part, lower-cased (the exceptions it makes are for
 * services this project does not use). AWS::CDK::Metadata is CloudFormation's own.
 */
export function localstackServiceOf(resourceType: string): string {
  if (resourceType === "AWS::CDK::Metadata") return "cloudformation";
  const service = resourceType.split("::")[1];
  if (!service) throw new Error(`not a CloudFormation resource type: ${resourceType}`);
  return service.toLowerCase();
}

/** What `cdk bootstrap` creates and the CLI calls while deploying: the asset bucket, repository, roles, version parameter. */
export const BOOTSTRAP_SERVICES = ["cloudformation", "s3", "ssm", "iam", "ecr", "sts"] as const;

/** The services SERVICES enables, or undefined when it is unset or empty (then LocalStack loads them all). */
export function enabledServices(environment: ReadonlyMap<string, string>): Set<string> | undefined {
  const value = environment.get("SERVICES")?.trim();
  if (!value || environment.get("STRICT_SERVICE_LOADING") === "0") return undefined;
  return new Set(value.split(",").map((entry) => entry.trim().split(/[:=]/)[0] ?? "").filter(Boolean));
}

/** Each Lambda function's architecture, as Lambda defaults it when the template says nothing. */
export function functionArchitectures(template: { Resources?: Record<string, { Type: string; Properties?: { Architectures?: string[] } }> }): Map<string, string> {
  const found = new Map<string, string>();
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type !== "AWS::Lambda::Function") continue;
    found.set(id, resource.Properties?.Architectures?.[0] ?? "x86_64");
  }
  return found;
}

/** The Docker hosts LocalStack runs on: Intel/AMD machines and Apple silicon or Graviton. */
export const HOST_ARCHITECTURES = ["x86_64", "arm64"] as const;
