/**
 * A small hand-written stack for the access-control tests: an API whose methods use a
 * TOKEN and a REQUEST Lambda authorizer, API keys on three usage plans, and tiny
 * functions, written as a cloud assembly the local cloud deploys like `cdk.out`.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const fnArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const invocationUri = (name: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fnArn(name)}/invocations`;

const BUSINESS = `exports.handler = async (event) => ({ statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ authorizer: event.requestContext.authorizer ?? null, identity: event.requestContext.identity }) });\n`;

// Answers by token: "Bearer allow-<user>", "deny", "elsewhere", "unauthorized", "crash", "malformed", "nested".
const TOKEN_AUTHORIZER = `exports.handler = async (event) => {
  const token = event.authorizationToken.replace(/^Bearer /, "");
  const [arnHead, stage] = event.methodArn.split("/");
  const policy = (effect, resource) => ({ Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: resource }] });
  if (token === "unauthorized") throw new Error("Unauthorized");
  if (token === "crash") throw new Error("boom");
  if (token === "malformed") return { hello: "world" };
  if (token === "deny") return { principalId: "x", policyDocument: { Version: "2012-10-17", Statement: [
    { Action: "execute-api:Invoke", Effect: "Allow", Resource: arnHead + "/" + stage + "/*/*" },
    { Action: "execute-api:Invoke", Effect: "Deny", Resource: arnHead + "/" + stage + "/GET/thing?" } ] } };
  if (token === "elsewhere") return { principalId: "x", policyDocument: policy("Allow", arnHead + "/" + stage + "/POST/*") };
  if (token === "nested") return { principalId: "x", policyDocument: policy("Allow", "*"), context: { bad: { deep: 1 } } };
  const user = token.replace(/^allow-/, "");
  return { principalId: "user-" + user, policyDocument: policy("Allow", arnHead + "/" + stage + "/*/*"), context: { userId: user, level: 3, admin: false, type: event.type } };
};\n`;

const REQUEST_AUTHORIZER = `exports.handler = async (event) => ({
  principalId: event.headers["x-user"],
  policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: event.methodArn }] },
  context: { type: event.type, tenant: event.queryStringParameters.tenant, resource: event.resource, path: event.path },
});\n`;

function fn(name: string): Record<string, unknown> {
  return { Type: "AWS::Lambda::Function", Properties: { FunctionName: name, Handler: "index.handler", Runtime: "nodejs22.x", Timeout: 5, Code: { S3Bucket: "assets", S3Key: `${name}.zip` } } };
}

function method(resource: string, options: { apiKey?: boolean; authorizer?: string }): Record<string, unknown> {
  return {
    Type: "AWS::ApiGateway::Method",
    Properties: {
      RestApiId: { Ref: "Api" },
      ResourceId: { Ref: resource },
      HttpMethod: "GET",
      AuthorizationType: options.authorizer ? "CUSTOM" : "NONE",
      ...(options.authorizer ? { AuthorizerId: { Ref: options.authorizer } } : {}),
      ApiKeyRequired: options.apiKey ?? false,
      Integration: { Type: "AWS_PROXY", IntegrationHttpMethod: "POST", Uri: invocationUri("business") },
    },
  };
}

const resource = (pathPart: string) => ({ Type: "AWS::ApiGateway::Resource", Properties: { RestApiId: { Ref: "Api" }, ParentId: { "Fn::GetAtt": ["Api", "RootResourceId"] }, PathPart: pathPart } });
const apiStage = [{ ApiId: { Ref: "Api" }, Stage: { Ref: "Stage" } }];
const plan = (extra: Record<string, unknown>) => ({ Type: "AWS::ApiGateway::UsagePlan", Properties: { ApiStages: apiStage, ...extra } });
const planKey = (key: string, usagePlan: string) => ({ Type: "AWS::ApiGateway::UsagePlanKey", Properties: { KeyId: { Ref: key }, KeyType: "API_KEY", UsagePlanId: { Ref: usagePlan } } });
const apiKey = (properties: Record<string, unknown>) => ({ Type: "AWS::ApiGateway::ApiKey", Properties: { Enabled: true, ...properties } });

export const TEMPLATE = {
  Resources: {
    Business: fn("business"),
    TokenAuthorizerFn: fn("token-authorizer"),
    RequestAuthorizerFn: fn("request-authorizer"),
    Api: { Type: "AWS::ApiGateway::RestApi", Properties: { Name: "AccessApi" } },
    Things: resource("thing1"),
    Other: resource("thing2"),
    Open: resource("open"),
    Req: resource("req"),
    Limited: resource("limited"),
    TokenAuth: {
      Type: "AWS::ApiGateway::Authorizer",
      Properties: {
        RestApiId: { Ref: "Api" },
        Name: "TokenAuth",
        Type: "TOKEN",
        IdentitySource: "method.request.header.Authorization",
        IdentityValidationExpression: "^Bearer [-0-9A-Za-z_.]+$",
        AuthorizerResultTtlInSeconds: 60,
        AuthorizerUri: invocationUri("token-authorizer"),
      },
    },
    RequestAuth: {
      Type: "AWS::ApiGateway::Authorizer",
      Properties: {
        RestApiId: { Ref: "Api" },
        Name: "RequestAuth",
        Type: "REQUEST",
        IdentitySource: "method.request.header.X-User, method.request.querystring.tenant",
        AuthorizerResultTtlInSeconds: 0,
        AuthorizerUri: invocationUri("request-authorizer"),
      },
    },
    GetThing1: method("Things", { apiKey: true, authorizer: "TokenAuth" }),
    GetThing2: method("Other", { apiKey: true, authorizer: "TokenAuth" }),
    GetOpen: method("Open", {}),
    GetReq: method("Req", { authorizer: "RequestAuth" }),
    GetLimited: method("Limited", { apiKey: true }),
    Deployment: { Type: "AWS::ApiGateway::Deployment", DependsOn: ["GetThing1", "GetThing2", "GetOpen", "GetReq", "GetLimited"], Properties: { RestApiId: { Ref: "Api" } } },
    Stage: { Type: "AWS::ApiGateway::Stage", Properties: { RestApiId: { Ref: "Api" }, DeploymentId: { Ref: "Deployment" }, StageName: "prod" } },
    DemoKey: apiKey({ Name: "demo-key" }),
    BurstKey: apiKey({ Name: "burst-key", Value: "burst-key-0123456789abcdef" }),
    QuotaKey: apiKey({ Name: "quota-key", Value: "quota-key-0123456789abcdef" }),
    DisabledKey: apiKey({ Name: "disabled-key", Value: "disabled-key-0123456789ab", Enabled: false }),
    OrphanKey: apiKey({ Name: "orphan-key", Value: "orphan-key-0123456789abcd" }),
    Clients: plan({ UsagePlanName: "clients", Throttle: { RateLimit: 1000, BurstLimit: 1000 }, Quota: { Limit: 10000, Period: "DAY" } }),
    BurstPlan: plan({ UsagePlanName: "burst", Throttle: { RateLimit: 2, BurstLimit: 3 } }),
    QuotaPlan: plan({ UsagePlanName: "quota", Quota: { Limit: 3, Period: "DAY" } }),
    DemoKeyOnClients: planKey("DemoKey", "Clients"),
    DisabledOnClients: planKey("DisabledKey", "Clients"),
    BurstOnPlan: planKey("BurstKey", "BurstPlan"),
    QuotaOnPlan: planKey("QuotaKey", "QuotaPlan"),
  },
  Outputs: {
    ApiId: { Value: { Ref: "Api" } },
    DemoKeyId: { Value: { Ref: "DemoKey" } },
    ClientsPlanId: { Value: { Ref: "Clients" } },
  },
};

/** Writes the stack and its functions as a cloud assembly; returns its folder. */
export function writeAccessAssembly(stackName = "Access"): string {
  const dir = mkdtempSync(join(tmpdir(), "apigw-access-"));
  const sources: Record<string, string> = { business: BUSINESS, "token-authorizer": TOKEN_AUTHORIZER, "request-authorizer": REQUEST_AUTHORIZER };
  const files: Record<string, unknown> = {};
  for (const [name, source] of Object.entries(sources)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, "index.js"), source);
    files[name] = { source: { path: name, packaging: "zip" }, destinations: { local: { bucketName: "assets", objectKey: `${name}.zip` } } };
  }
  writeFileSync(join(dir, `${stackName}.template.json`), JSON.stringify(TEMPLATE));
  writeFileSync(join(dir, `${stackName}.assets.json`), JSON.stringify({ version: "1", files }));
  writeFileSync(
    join(dir, "manifest.json"),
    JSON.stringify({
      version: "1",
      artifacts: {
        [`${stackName}.assets`]: { type: "cdk:asset-manifest", properties: { file: `${stackName}.assets.json` } },
        [stackName]: { type: "aws:cloudformation:stack", properties: { templateFile: `${stackName}.template.json`, stackName } },
      },
    }),
  );
  return dir;
}
