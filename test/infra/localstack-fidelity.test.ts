/**
 * The LocalStack compose file checked against what the synthesized templates
 * need, since no machine here runs LocalStack. The facts behind each check are in
 * docs/localstack.md, with the LocalStack source they come from.
 */
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";
import { BrokerageStack } from "../../lib/brokerage-stack.ts";
import {
  BOOTSTRAP_SERVICES,
  composeEnvironment,
  enabledServices,
  functionArchitectures,
  HOST_ARCHITECTURES,
  localstackServiceOf,
} from "./support/localstack-config.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const NO_BUNDLING = { "aws:cdk:bundling-stacks": [] };

type TemplateJson = { Resources?: Record<string, { Type: string; Properties?: Record<string, never> }> };

function brokerageTemplate(): TemplateJson {
  const app = new App({ context: NO_BUNDLING });
  return Template.fromStack(new BrokerageStack(app, "Brokerage")).toJSON() as TemplateJson;
}

/** The failure-path fixture is a CDK app of its own: synthesized as the CLI would run it. */
function fixtureTemplate(): TemplateJson {
  const outdir = mkdtempSync(join(tmpdir(), "failure-fixture-"));
  try {
    execFileSync(process.execPath, ["--import", "tsx", join(root, "test/e2e/fixtures/failure-app.ts")], {
      cwd: root,
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(NO_BUNDLING) },
      stdio: ["ignore", "ignore", "inherit"],
    });
    return JSON.parse(readFileSync(join(outdir, "FailureFixture.template.json"), "utf8")) as TemplateJson;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe("docker-compose.localstack.yml against the synthesized templates", () => {
  const environment = composeEnvironment(join(root, "docker-compose.localstack.yml"));
  const templates = { Brokerage: brokerageTemplate(), FailureFixture: fixtureTemplate() };

  test("SERVICES enables the service of every resource type, and what cdk bootstrap needs", () => {
    const enabled = enabledServices(environment);
    if (enabled === undefined) return; // unset: LocalStack loads every service
    const needed = new Map<string, string>(BOOTSTRAP_SERVICES.map((service) => [service, "cdk bootstrap"]));
    for (const [stack, template] of Object.entries(templates)) {
      for (const resource of Object.values(template.Resources ?? {})) needed.set(localstackServiceOf(resource.Type), `${resource.Type} in ${stack}`);
    }
    assert.ok(needed.has("events") && needed.has("apigateway"), "the mapping sees the rule and the API");
    const missing = [...needed].filter(([service]) => !enabled.has(service)).map(([service, why]) => `${service} (for ${why})`);
    assert.deepEqual(missing, [], `SERVICES=${environment.get("SERVICES")} lacks services`);
  });

  test("LAMBDA_IGNORE_ARCHITECTURE=1 is set whenever a function's architecture is not the Docker host's", () => {
    const architectures = Object.entries(templates).flatMap(([stack, template]) =>
      [...functionArchitectures(template)].map(([id, architecture]) => ({ fn: `${stack}/${id}`, architecture })),
    );
    assert.ok(architectures.length >= 10, "both templates' functions are seen");
    // LocalStack reads it with is_env_true: "1" or "true" in any case.
    const ignored = ["1", "true"].includes((environment.get("LAMBDA_IGNORE_ARCHITECTURE") ?? "").trim().toLowerCase());
    for (const host of HOST_ARCHITECTURES) {
      const foreign = architectures.filter((entry) => entry.architecture !== host).map((entry) => `${entry.fn} (${entry.architecture})`);
      if (foreign.length > 0) assert.ok(ignored, `on an ${host} host these run under emulation or not at all: ${foreign.join(", ")}`);
    }
  });
});
