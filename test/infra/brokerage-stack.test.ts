import { App } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BrokerageStack } from "../../lib/brokerage-stack.ts";
import { QueueWithDeadLetterQueue } from "../../lib/messaging/queue-with-dead-letter-queue.ts";
import { Duration, Stack } from "aws-cdk-lib";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Skipping bundling keeps these tests about the template; bundling itself is
// exercised by every start of the local cloud and by the end-to-end suite.
const synth = (props: ConstructorParameters<typeof BrokerageStack>[2] = {}): Template => {
  const app = new App({ context: { "aws:cdk:bundling-stacks": [] } });
  return Template.fromStack(new BrokerageStack(app, "Brokerage", props));
};

describe("BrokerageStack", () => {
  const template = synth();

  test("has the twelve functions, all on Node.js 22", () => {
    const functions = template.findResources("AWS::Lambda::Function");
    assert.equal(Object.keys(functions).length, 12);
    for (const fn of Object.values(functions)) assert.equal(fn.Properties.Runtime, "nodejs22.x");
    for (const service of ["validate-order", "process-order", "consolidate-portfolio", "send-push", "send-email", "query-api", "reconcile-orders", "create-session", "authorize", "log-compliance-alert", "audit-recorder", "record-statement-lines"]) {
      template.hasResourceProperties("AWS::Lambda::Function", {
        Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: service }) },
      });
    }
  });

  test("every queue that is not a DLQ redrives to one after 3 receives", () => {
    const queues = template.findResources("AWS::SQS::Queue");
    assert.equal(Object.keys(queues).length, 13, "six queues, their six dead-letter queues and the compliance rule's delivery DLQ");
    const withRedrive = Object.values(queues).filter((q) => q.Properties?.RedrivePolicy);
    assert.equal(withRedrive.length, 6);
    for (const queue of withRedrive) assert.equal(queue.Properties.RedrivePolicy.maxReceiveCount, 3);
    const dlqIds = new Set(withRedrive.map((q) => q.Properties.RedrivePolicy.deadLetterTargetArn["Fn::GetAtt"][0]));
    assert.equal(dlqIds.size, 6, "each queue has its own dead-letter queue");
  });

  test("the orders queue and its DLQ are FIFO, the notification queues are standard", () => {
    const fifo = Object.values(template.findResources("AWS::SQS::Queue")).filter((q) => q.Properties?.FifoQueue === true);
    assert.equal(fifo.length, 2);
    assert.equal(fifo.filter((q) => q.Properties.RedrivePolicy).length, 1);
  });

  test("five SQS event-source mappings report batch item failures", () => {
    const mappings = template.findResources("AWS::Lambda::EventSourceMapping");
    assert.equal(Object.keys(mappings).length, 5);
    for (const mapping of Object.values(mappings)) {
      assert.deepEqual(mapping.Properties.FunctionResponseTypes, ["ReportBatchItemFailures"]);
      assert.equal(mapping.Properties.BatchSize, 10);
    }
  });

  test("the REST API has the eight routes on stage prod", () => {
    template.hasResourceProperties("AWS::ApiGateway::Stage", { StageName: "prod" });
    const paths = Object.values(template.findResources("AWS::ApiGateway::Resource")).map((r) => r.Properties.PathPart);
    assert.deepEqual(paths.sort(), ["orders", "quotes", "sessions", "transactions", "users", "{orderId}", "{ticker}", "{userId}", "events", "statements", "{date}"].sort());
    const methods = Object.values(template.findResources("AWS::ApiGateway::Method")).filter((m) => m.Properties.HttpMethod !== "OPTIONS");
    assert.deepEqual(methods.map((m) => m.Properties.HttpMethod).sort(), ["GET", "GET", "GET", "GET", "GET", "GET", "POST", "POST"]);
    for (const method of methods) assert.equal(method.Properties.Integration.Type, "AWS_PROXY");
  });

  test("every resource answers the CORS preflight itself, for any origin by default, and the API functions know the origins", () => {
    const resources = Object.keys(template.findResources("AWS::ApiGateway::Resource")).length + 1; // and the root
    const preflights = Object.values(template.findResources("AWS::ApiGateway::Method")).filter((m) => m.Properties.HttpMethod === "OPTIONS");
    assert.equal(preflights.length, resources);
    for (const preflight of preflights) {
      assert.equal(preflight.Properties.AuthorizationType, "NONE");
      assert.equal(preflight.Properties.Integration.Type, "MOCK");
      const [response] = preflight.Properties.Integration.IntegrationResponses;
      assert.equal(response.StatusCode, "204");
      assert.equal(response.ResponseParameters["method.response.header.Access-Control-Allow-Origin"], "'*'");
      assert.equal(response.ResponseParameters["method.response.header.Access-Control-Allow-Methods"], "'GET,POST,OPTIONS'");
      assert.match(response.ResponseParameters["method.response.header.Access-Control-Allow-Headers"], /^'Content-Type,.*X-Correlation-Id,Idempotency-Key'$/);
    }
    for (const service of ["validate-order", "query-api"]) {
      template.hasResourceProperties("AWS::Lambda::Function", {
        Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: service, CORS_ALLOW_ORIGINS: "*" }) },
      });
    }
  });

  test("takes the CORS origins from the corsAllowOrigins context and rejects a malformed one", () => {
    const app = new App({ context: { "aws:cdk:bundling-stacks": [], corsAllowOrigins: "https://app.example.com, https://admin.example.com" } });
    const custom = Template.fromStack(new BrokerageStack(app, "Brokerage"));
    custom.hasResourceProperties("AWS::ApiGateway::Method", {
      HttpMethod: "OPTIONS",
      Integration: Match.objectLike({
        IntegrationResponses: [Match.objectLike({ ResponseParameters: Match.objectLike({ "method.response.header.Access-Control-Allow-Origin": "'https://app.example.com'", "method.response.header.Vary": "'Origin'" }) })],
      }),
    });
    custom.hasResourceProperties("AWS::Lambda::Function", {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: "query-api", CORS_ALLOW_ORIGINS: "https://app.example.com,https://admin.example.com" }) },
    });
    assert.throws(() => synth({ corsAllowOrigins: ["https://app.example.com/login"] }), /no path\), got "https:\/\/app.example.com\/login"/);
    assert.throws(() => synth({ corsAllowOrigins: ["*", "https://app.example.com"] }), /cannot mix "\*"/);
  });

  test("every queue that feeds a function hides a message for 6 × the function's timeout plus the batching window", () => {
    const resources = template.toJSON().Resources as Record<string, { Properties: Record<string, never> }>;
    const mappings = Object.values(template.findResources("AWS::Lambda::EventSourceMapping"));
    assert.equal(mappings.length, 5);
    for (const mapping of mappings) {
      const queue = resources[mapping.Properties.EventSourceArn["Fn::GetAtt"][0]];
      const fn = resources[mapping.Properties.FunctionName.Ref];
      const window = mapping.Properties.MaximumBatchingWindowInSeconds ?? 0;
      const timeout = fn?.Properties.Timeout ?? 3;
      assert.ok(
        (queue?.Properties.VisibilityTimeout ?? 30) >= 6 * timeout + window,
        `${mapping.Properties.FunctionName.Ref}: visibility ${queue?.Properties.VisibilityTimeout} s < 6 × ${timeout} s + ${window} s`,
      );
    }
  });

  test("five on-demand tables keyed pk/sk, transactions with the gsi1 and gsi2 indexes", () => {
    const tables = template.findResources("AWS::DynamoDB::Table");
    assert.equal(Object.keys(tables).length, 5);
    for (const table of Object.values(tables)) {
      assert.equal(table.Properties.BillingMode, "PAY_PER_REQUEST");
      assert.deepEqual(table.Properties.KeySchema, [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ]);
    }
    template.hasResourceProperties("AWS::DynamoDB::Table", {
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: "gsi1", Projection: { ProjectionType: "ALL" } }),
        {
          IndexName: "gsi2",
          KeySchema: [
            { AttributeName: "gsi2pk", KeyType: "HASH" },
            { AttributeName: "gsi2sk", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        },
      ],
    });
  });

  test("reconcile-orders runs every minute on an EventBridge schedule", () => {
    const rules = Object.values(template.findResources("AWS::Events::Rule")).filter((r) => r.Properties.ScheduleExpression);
    assert.equal(rules.length, 1);
    const [rule] = rules;
    assert.equal(rule?.Properties.ScheduleExpression, "rate(1 minute)");
    assert.equal(rule?.Properties.State, "ENABLED");
    const targetId = rule?.Properties.Targets[0].Arn["Fn::GetAtt"][0];
    assert.equal(template.toJSON().Resources[targetId].Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME, "reconcile-orders");
    template.hasResourceProperties("AWS::Lambda::Permission", {
      Action: "lambda:InvokeFunction",
      Principal: "events.amazonaws.com",
      FunctionName: { "Fn::GetAtt": [targetId, "Arn"] },
    });
  });

  test("reconcile-orders may query and update orders, send to the orders queue and invoke consolidation, nothing more", () => {
    const policies = template.findResources("AWS::IAM::Policy");
    const policy = Object.entries(policies).find(([id]) => id.startsWith("ReconcileOrders"))?.[1];
    assert.ok(policy, "reconcile-orders has a policy");
    const actions = policy.Properties.PolicyDocument.Statement.flatMap((statement: { Action: string | string[] }) => statement.Action);
    assert.deepEqual(
      [...new Set(actions)].sort(),
      // The X-Ray actions come with active tracing.
      ["dynamodb:Query", "dynamodb:UpdateItem", "lambda:InvokeFunction", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage", "xray:PutTelemetryRecords", "xray:PutTraceSegments"].sort(),
    );
    const consolidate = Object.entries(policies).find(([id]) => id.startsWith("ConsolidatePortfolio"))?.[1];
    const onTransactions = consolidate?.Properties.PolicyDocument.Statement.filter((statement: { Resource: unknown }) =>
      JSON.stringify(statement.Resource).includes("TablesTransactions"),
    );
    assert.deepEqual(onTransactions.flatMap((statement: { Action: string[] }) => statement.Action).sort(), ["dynamodb:BatchGetItem", "dynamodb:UpdateItem"]);
  });

  test("outputs the API URL and id, the queue URLs, the table names, the API key ids, the secret and the key", () => {
    const outputs = Object.keys(template.findOutputs("*"));
    for (const name of ["ApiUrl", "ApiId", "OrdersQueueUrl", "PushQueueUrl", "EmailQueueUrl", "UsersTableName", "TransactionsTableName", "QuotesTableName", "DemoApiKeyId", "LoadTestApiKeyId", "SigningSecretArn", "PersonalDataKeyArn"]) {
      assert.ok(outputs.includes(name), `missing output ${name}`);
    }
  });

  test("hard-codes no account and no region", () => {
    const text = JSON.stringify(template.toJSON());
    assert.doesNotMatch(text, /\b\d{12}\b/, "no account id");
    assert.doesNotMatch(text, /"(us|eu|ap|sa|ca|me|af)-[a-z]+-\d"/, "no region");
  });

  test("selects the price source from its props and rejects unknown ones", () => {
    synth({ priceSource: "yahoo" }).hasResourceProperties("AWS::Lambda::Function", {
      Environment: { Variables: Match.objectLike({ PRICE_SOURCE: "yahoo" }) },
    });
    assert.throws(() => synth({ priceSource: "bloomberg" }), /priceSource must be "simulated" or "yahoo", got "bloomberg"/);
  });

  test("takes the simulated market's failure rate for chaos runs and rejects one outside 0..1", () => {
    synth({ simulatedMarketFailureRate: 0.25 }).hasResourceProperties("AWS::Lambda::Function", {
      Environment: { Variables: Match.objectLike({ SIMULATED_MARKET_FAILURE_RATE: "0.25" }) },
    });
    assert.throws(() => synth({ simulatedMarketFailureRate: 2 }), /from 0 to 1, got 2/);
  });
});

test("synthesis validates the template against the CloudFormation schemas with no findings", () => {
  const outdir = mkdtempSync(join(tmpdir(), "brokerage-synth-"));
  try {
    const app = new App({ outdir, context: { "aws:cdk:bundling-stacks": [], "@aws-cdk/core:validateAgainstDefaultRules": true } });
    new BrokerageStack(app, "Brokerage");
    app.synth();
    const report = JSON.parse(readFileSync(join(outdir, "validation-report.json"), "utf8")) as {
      pluginReports: { violations?: unknown[] }[];
    };
    assert.deepEqual(report.pluginReports.flatMap((r) => r.violations ?? []), []);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});

describe("QueueWithDeadLetterQueue", () => {
  test("rejects a maxReceiveCount that SQS would refuse, naming the value", () => {
    assert.throws(() => new QueueWithDeadLetterQueue(new Stack(), "Q", { maxReceiveCount: 0 }), /got 0/);
  });

  test("derives the visibility timeout from its consumer and refuses a shorter one", () => {
    const stack = new Stack();
    new QueueWithDeadLetterQueue(stack, "Q", { consumerTimeout: Duration.seconds(20), consumerBatchingWindow: Duration.seconds(5) });
    Template.fromStack(stack).hasResourceProperties("AWS::SQS::Queue", { VisibilityTimeout: 125 });
    assert.throws(
      () => new QueueWithDeadLetterQueue(new Stack(), "Q", { consumerTimeout: Duration.seconds(10), visibilityTimeout: Duration.seconds(30) }),
      /at least 60 s .* got 30 s/,
    );
  });
});
