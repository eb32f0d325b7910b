/**
 * The LocalStack user's path, run against the local cloud: `npm start -- --empty`, then
 * the very deploy script a LocalStack user runs (cdk bootstrap + cdk deploy through the
 * CDK CLI), then the seed demo and the Postman collection against what it deployed, the
 * aws CLI, an update with `cdk deploy`, and `cdk destroy`.
 */
import assert from "node:assert/strict";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { apiKeyValue } from "../../ops/demo-credentials.ts";
import { DEBIAN_AWS_CLI } from "../../scripts/ensure-aws-cli.ts";
import { ApiClient } from "./support/api-client.ts";

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), "cdk-cli-deploy-"));
const outputsFile = join(work, "cdk-outputs.json");
const assemblyDir = join(work, "cdk.out");
const MINUTES = 60_000;

/** Starts `npm start -- --empty` on a free port and resolves with its endpoint once it is ready. */
function startEmptyCloud(): Promise<{ child: ChildProcess; endpoint: string; output: () => string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "localcloud/cli.ts", "--empty", "--port", "0", "--data-dir", join(work, "data"), "--no-color"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the local cloud did not start:\n${text}`)), 2 * MINUTES);
    const read = (chunk: Buffer): void => {
      text += chunk.toString();
      const endpoint = text.match(/endpoint\s+(http:\/\/localhost:\d+)/)?.[1];
      if (endpoint && text.includes("Ctrl-C stops")) {
        clearTimeout(timer);
        resolve({ child, endpoint, output: () => text });
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.on("exit", (code) => reject(new Error(`the local cloud exited with ${code}:\n${text}`)));
  });
}

describe("cdk bootstrap, deploy, update and destroy against the local cloud, as against LocalStack", () => {
  let cloud: Awaited<ReturnType<typeof startEmptyCloud>>;
  let env: NodeJS.ProcessEnv;
  // The CDK CLI by hand, as the README tells a LocalStack user to run it: S3 path-style on the endpoint's IP.
  const cdk = (...args: string[]) =>
    run("node_modules/.bin/cdk", [...args, "--no-notices", "--output", assemblyDir], {
      env: { ...env, AWS_ENDPOINT_URL_S3: cloud.endpoint.replace("localhost", "127.0.0.1") },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 5 * MINUTES,
    });
  // Debian's aws CLI 2.9 predates AWS_ENDPOINT_URL: it is given --endpoint-url, as awslocal gives it.
  const aws = async (...args: string[]): Promise<unknown> =>
    JSON.parse((await run(DEBIAN_AWS_CLI, ["--endpoint-url", cloud.endpoint, ...args, "--output", "json"], { env })).stdout);
  const outputs = (): Record<string, string> => (JSON.parse(readFileSync(outputsFile, "utf8")) as Record<string, Record<string, string>>).Brokerage ?? {};
  const credentials = { accessKeyId: "test", secretAccessKey: "test" };
  /** The demo key's value from API Gateway, as the seed reads it, and the demo users' sign-in. */
  const demoClient = async (): Promise<ApiClient> => {
    const gateway = new APIGatewayClient({ endpoint: cloud.endpoint, region: "us-east-1", credentials });
    try {
      return new ApiClient(outputs().ApiUrl ?? "?", await apiKeyValue(gateway, outputs().DemoApiKeyId ?? "?"));
    } finally {
      gateway.destroy();
    }
  };

  before(async () => {
    cloud = await startEmptyCloud();
    env = {
      ...process.env,
      AWS_ENDPOINT_URL: cloud.endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_REGION: "us-east-1",
      AWS_DEFAULT_REGION: "us-east-1",
      CDK_OUTPUTS_FILE: outputsFile,
      CDK_OUTDIR: assemblyDir,
      // Not over the developer's own demo credentials.
      DEMO_CREDENTIALS_FILE: join(work, "demo-credentials.json"),
      // As inside npm scripts: the project's own Node and tools come first.
      PATH: `${join(process.cwd(), "node_modules", ".bin")}:${process.env.PATH ?? ""}`,
    };
    delete env.AWS_ENDPOINT_URL_S3;
  });
  after(async () => {
    cloud?.child.kill("SIGINT");
    await new Promise((done) => cloud?.child.once("exit", done));
    rmSync(work, { recursive: true, force: true });
  });

  test("npm run localstack:deploy bootstraps, deploys and seeds, leaving an ApiUrl a signed-in curl can call", async () => {
    const { stdout } = await run("npm", ["run", "--silent", "localstack:deploy"], { env, maxBuffer: 64 * 1024 * 1024, timeout: 8 * MINUTES });
    assert.match(stdout, /<== cdk bootstrap aws:\/\/000000000000\/us-east-1: [\d.]+ s/);
    assert.match(stdout, /<== cdk deploy Brokerage: [\d.]+ s/);
    assert.match(stdout, /seeded .*created \[1, 2, 3\]/);
    const apiUrl = outputs().ApiUrl ?? "";
    assert.equal(apiUrl, `${cloud.endpoint}/_aws/execute-api/${outputs().ApiId}/prod/`);
    assert.equal((await fetch(`${apiUrl}users/1`)).status, 403, "without an API key API Gateway refuses");
    const user = await (await demoClient()).get<{ userId: string }>("1", "users/1");
    assert.equal(user.status, 200);
    assert.equal(user.body.userId, "1");
  });

  test("the seed demo and the Postman collection pass against what the script deployed", async () => {
    const suite = await run(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", "test/e2e/seed-demo.test.ts", "test/e2e/postman.test.ts"], {
      // Without NODE_TEST_CONTEXT, which would make the inner runner report to this one instead of printing.
      env: { ...env, E2E_TARGET: "localstack", NODE_TEST_CONTEXT: undefined },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 8 * MINUTES,
    }).catch((error: { stdout?: string; stderr?: string }) => assert.fail(`the suite failed:\n${error.stdout ?? ""}\n${error.stderr ?? ""}`));
    assert.match(suite.stdout, /# fail 0/);
    assert.doesNotMatch(suite.stdout, /# pass 0\b/);
  });

  test("the aws CLI sees the stack, its events, functions, tables and queues", async () => {
    const stacks = (await aws("cloudformation", "describe-stacks", "--stack-name", "Brokerage")) as { Stacks: { StackStatus: string }[] };
    assert.equal(stacks.Stacks[0]?.StackStatus, "CREATE_COMPLETE");
    const events = (await aws("cloudformation", "describe-stack-events", "--stack-name", "CDKToolkit")) as { StackEvents: { ResourceStatus: string }[] };
    assert.equal(events.StackEvents[0]?.ResourceStatus, "CREATE_COMPLETE");
    const functions = (await aws("lambda", "list-functions")) as { Functions: { FunctionName: string }[] };
    assert.equal(functions.Functions.filter((f) => f.FunctionName.startsWith("Brokerage-")).length, 12);
    const tables = (await aws("dynamodb", "list-tables")) as { TableNames: string[] };
    assert.ok(tables.TableNames.includes(outputs().UsersTableName ?? "?"));
    const queues = (await aws("sqs", "list-queues")) as { QueueUrls: string[] };
    assert.ok(queues.QueueUrls.includes(outputs().OrdersQueueUrl ?? "?"));
  });

  test("cdk deploy of a changed app updates the function in place and keeps the data", async () => {
    const api = await demoClient();
    const { body: before } = await api.get<{ positions: unknown[] }>("1", "users/1");
    const deployed = await cdk("deploy", "Brokerage", "-c", "simulatedMarketFailureRate=0.05", "--require-approval", "never", "--outputs-file", outputsFile);
    assert.match(`${deployed.stdout}${deployed.stderr}`, /UPDATE_COMPLETE\s+\| AWS::Lambda::Function\s+\| ProcessOrder/);
    const stacks = (await aws("cloudformation", "describe-stacks", "--stack-name", "Brokerage")) as { Stacks: { StackStatus: string }[] };
    assert.equal(stacks.Stacks[0]?.StackStatus, "UPDATE_COMPLETE");
    const resources = (await aws("cloudformation", "describe-stack-resources", "--stack-name", "Brokerage")) as {
      StackResources: { LogicalResourceId: string; PhysicalResourceId: string; ResourceType: string; ResourceStatus: string }[];
    };
    const processOrder = resources.StackResources.find((r) => r.LogicalResourceId.startsWith("ProcessOrder") && r.ResourceType === "AWS::Lambda::Function");
    assert.equal(processOrder?.ResourceStatus, "UPDATE_COMPLETE");
    const lambda = new LambdaClient({ endpoint: cloud.endpoint, region: "us-east-1", credentials });
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: processOrder?.PhysicalResourceId }));
    lambda.destroy();
    assert.equal(config.Environment?.Variables?.SIMULATED_MARKET_FAILURE_RATE, "0.05");
    const { body: after } = await api.get<{ positions: unknown[] }>("1", "users/1");
    assert.deepEqual(after.positions.length, before.positions.length);
  });

  test("cdk destroy removes the stack and everything it made", async () => {
    const { UsersTableName: table, ApiUrl: apiUrl } = outputs();
    await cdk("destroy", "Brokerage", "--force");
    await assert.rejects(aws("cloudformation", "describe-stacks", "--stack-name", "Brokerage"), /does not exist/);
    const tables = (await aws("dynamodb", "list-tables")) as { TableNames: string[] };
    assert.equal(tables.TableNames.includes(table ?? "?"), false);
    const functions = (await aws("lambda", "list-functions")) as { Functions: unknown[] };
    assert.equal(functions.Functions.length, 0);
    assert.equal((await fetch(`${apiUrl}users/1`)).status, 404);
  });
});
