import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BrokerageStack } from "../../lib/brokerage-stack.ts";

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };

const app = new App({ context: { "aws:cdk:bundling-stacks": [] } });
const template = Template.fromStack(new BrokerageStack(app, "Brokerage"));
const resources = template.toJSON().Resources as Record<string, Resource>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const logicalIdOf = (service: string) => ofType("AWS::Lambda::Function").find(([, r]) => r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === service)?.[0];
const pathOf = (resourceId: unknown): string => {
  const ref = (resourceId as { Ref?: string; "Fn::GetAtt"?: string[] }).Ref;
  const resource = ref ? resources[ref] : undefined;
  return resource ? `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}` : "";
};
const methods = ofType("AWS::ApiGateway::Method").map(([, m]) => ({ method: m.Properties.HttpMethod as string, path: pathOf(m.Properties.ResourceId) || "/", props: m.Properties }));

/** Every action a function's policy allows, with the logical id each statement's resource points at. */
function grantsOf(service: string): string[] {
  const role = resources[logicalIdOf(service) ?? ""]?.Properties.Role["Fn::GetAtt"][0];
  const policies = ofType("AWS::IAM::Policy").filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role));
  return policies.flatMap(([, p]) =>
    p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[]; Resource: unknown }) => {
      const target = JSON.stringify(s.Resource).match(/"(?:Ref|Fn::GetAtt)":\[?"([A-Za-z0-9]+)/)?.[1] ?? "?";
      return [s.Action].flat().map((action) => `${action} on ${target.replace(/[0-9A-F]{8}$/, "")}`);
    }),
  ).sort();
}

/** What active tracing adds to every function's role (X-Ray has no resource-level permissions). */
const TRACING = ["xray:PutTelemetryRecords on ?", "xray:PutTraceSegments on ?"];

describe("the stack's security", () => {
  test("every method but sign-in and the CORS preflights goes through the TOKEN authorizer", () => {
    const [[authorizerId, authorizer] = []] = ofType("AWS::ApiGateway::Authorizer");
    assert.ok(authorizer);
    assert.equal(authorizer.Properties.Type, "TOKEN");
    assert.equal(authorizer.Properties.IdentitySource, "method.request.header.Authorization");
    assert.equal(authorizer.Properties.IdentityValidationExpression, "^Bearer [-0-9A-Za-z_.]+$");
    assert.equal(authorizer.Properties.AuthorizerResultTtlInSeconds, 60);
    assert.match(JSON.stringify(authorizer.Properties.AuthorizerUri), new RegExp(logicalIdOf("authorize") ?? "none"));
    for (const { method, path, props } of methods) {
      const open = method === "OPTIONS" || (method === "POST" && path === "/sessions");
      assert.equal(props.AuthorizationType, open ? "NONE" : "CUSTOM", `${method} ${path}`);
      if (!open) assert.deepEqual(props.AuthorizerId, { Ref: authorizerId }, `${method} ${path}`);
    }
    assert.ok(methods.some((m) => m.method === "POST" && m.path === "/sessions"), "POST /sessions exists");
  });

  test("every method but the CORS preflights requires an API key", () => {
    for (const { method, path, props } of methods) assert.equal(props.ApiKeyRequired === true, method !== "OPTIONS", `${method} ${path}`);
  });

  test("two usage plans on the prod stage, with the contract's limits, each with its own generated key", () => {
    const plans: Record<string, { id: string; props: Record<string, any> }> = Object.fromEntries(ofType("AWS::ApiGateway::UsagePlan").map(([id, p]) => [p.Properties.UsagePlanName, { id, props: p.Properties }]));
    assert.deepEqual(Object.keys(plans).sort(), ["clients", "load-tests"]);
    assert.deepEqual(plans.clients?.props.Throttle, { BurstLimit: 20, RateLimit: 1.67 });
    assert.deepEqual(plans.clients?.props.Quota, { Limit: 10000, Period: "DAY" });
    assert.deepEqual(plans["load-tests"]?.props.Throttle, { BurstLimit: 5000, RateLimit: 5000 });
    assert.equal(plans["load-tests"]?.props.Quota, undefined);
    const stage = ofType("AWS::ApiGateway::Stage")[0]?.[0];
    for (const plan of Object.values(plans)) assert.deepEqual(plan.props.ApiStages.map((s: { Stage: unknown }) => s.Stage), [{ Ref: stage }]);

    const keys = ofType("AWS::ApiGateway::ApiKey");
    assert.equal(keys.length, 2);
    for (const [, key] of keys) assert.equal(key.Properties.Value, undefined, "API Gateway generates the value");
    const keyOfPlan = Object.fromEntries(ofType("AWS::ApiGateway::UsagePlanKey").map(([, k]) => [k.Properties.UsagePlanId.Ref, k.Properties.KeyId.Ref]));
    const outputs = template.findOutputs("*");
    assert.deepEqual({ Ref: keyOfPlan[plans.clients?.id ?? ""] }, outputs.DemoApiKeyId?.Value);
    assert.deepEqual({ Ref: keyOfPlan[plans["load-tests"]?.id ?? ""] }, outputs.LoadTestApiKeyId?.Value);
  });

  test("the signing key is a generated secret whose value is not in the template, deleted with the dev stack", () => {
    const secrets = ofType("AWS::SecretsManager::Secret");
    assert.equal(secrets.length, 1);
    const [[, secret] = []] = secrets;
    assert.deepEqual(secret?.Properties.GenerateSecretString, { PasswordLength: 64, ExcludePunctuation: true });
    assert.equal(secret?.Properties.SecretString, undefined);
    assert.equal(secret?.DeletionPolicy, "Delete");
  });

  test("personal data has a customer-managed KMS key with rotation, deleted with the dev stack", () => {
    const keys = ofType("AWS::KMS::Key");
    assert.equal(keys.length, 1);
    const [[, key] = []] = keys;
    assert.equal(key?.Properties.EnableKeyRotation, true);
    assert.equal(key?.DeletionPolicy, "Delete");
    template.hasResourceProperties("AWS::KMS::Alias", { AliasName: "alias/brokerage/personal-data" });
  });

  test("sign-in, the authorizer and send-email get exactly what their code uses", () => {
    assert.deepEqual(grantsOf("create-session"), [
      "dynamodb:DeleteItem on TablesUsers",
      "dynamodb:GetItem on TablesUsers",
      "dynamodb:UpdateItem on TablesUsers",
      "secretsmanager:DescribeSecret on KeysTokenSigningSecret",
      "secretsmanager:GetSecretValue on KeysTokenSigningSecret",
      ...TRACING,
    ]);
    assert.deepEqual(grantsOf("authorize"), [
      "dynamodb:GetItem on TablesUsers",
      "secretsmanager:DescribeSecret on KeysTokenSigningSecret",
      "secretsmanager:GetSecretValue on KeysTokenSigningSecret",
      ...TRACING,
    ]);
    assert.ok(grantsOf("send-email").includes("kms:Decrypt on KeysPersonalDataKey"));
    assert.deepEqual(grantsOf("send-email").filter((g) => g.startsWith("kms:")), ["kms:Decrypt on KeysPersonalDataKey"]);
  });

  test("no other function may read the secret or use the key", () => {
    for (const service of ["validate-order", "process-order", "consolidate-portfolio", "send-push", "query-api", "reconcile-orders"]) {
      assert.deepEqual(grantsOf(service).filter((g) => /^(kms|secretsmanager):/.test(g)), [], service);
    }
  });

  test("the users table expires failed sign-in counts by TTL", () => {
    const users = ofType("AWS::DynamoDB::Table").find(([id]) => id.startsWith("TablesUsers"))?.[1];
    assert.deepEqual(users?.Properties.TimeToLiveSpecification, { AttributeName: "expiresAt", Enabled: true });
  });
});
