import { Duration } from "aws-cdk-lib";
import { ApiKey, Cors, LambdaIntegration, Period, RestApi, TokenAuthorizer, type MethodOptions } from "aws-cdk-lib/aws-apigateway";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";

export interface BrokerageApiProps {
  /** Answers `POST /orders`. */
  readonly writeHandler: IFunction;
  /** Answers every `GET` route. */
  readonly readHandler: IFunction;
  /** Answers `POST /sessions` (sign-in), the one route without the authorizer. */
  readonly sessionHandler: IFunction;
  /** The TOKEN authorizer of every other route. */
  readonly authorizerHandler: IFunction;
  /** @default "prod" */
  readonly stageName?: string;
  /**
   * Origins a browser may call the API from: ["*"], or exact origins such as
   * "https://app.example.com". The first is the one a preflight names when the
   * caller's origin is not allowed.
   * @default ["*"]
   */
  readonly allowOrigins?: readonly string[];
}

const ORIGIN = /^https?:\/\/[^/\s]+$/;

/** Throws, naming the bad value, unless the list is ["*"] or only exact origins. */
export function validateOrigins(origins: readonly string[]): readonly string[] {
  if (origins.length === 0) throw new Error("allowOrigins must name at least one origin, or be [\"*\"]");
  if (origins.includes("*") && origins.length > 1) throw new Error(`allowOrigins cannot mix "*" with origins, got ${origins.join(",")}`);
  const bad = origins.find((origin) => origin !== "*" && !ORIGIN.test(origin));
  if (bad !== undefined) throw new Error(`allowOrigins takes origins like https://app.example.com (no path), got "${bad}"`);
  return origins;
}

/** The usage plans: each client key ≈ 100 requests/min with a burst and a daily quota; load tests apart. */
export const USAGE_PLANS = {
  clients: { rateLimit: 1.67, burstLimit: 20, quotaPerDay: 10_000 },
  loadTests: { rateLimit: 5000, burstLimit: 5000 },
} as const;

/**
 * The REST API (API Gateway v1, proxy integrations): sign-in, one write route on
 * the slow path, four read routes on the fast path. Every method needs an API key
 * (`x-api-key`); every method but sign-in needs a bearer token, checked by a TOKEN
 * Lambda authorizer whose answer API Gateway caches for 60 s. Every resource answers the CORS
 * preflight itself (an OPTIONS method with a MOCK integration); the functions
 * put the allow-origin header on their own answers.
 */
export class BrokerageApi extends Construct {
  public readonly restApi: RestApi;
  public readonly allowOrigins: readonly string[];
  /** The demo clients' key, on the "clients" plan. */
  public readonly demoApiKey: ApiKey;
  /** The benchmark's and chaos suite's key, on the "load-tests" plan. */
  public readonly loadTestApiKey: ApiKey;

  constructor(scope: Construct, id: string, props: BrokerageApiProps) {
    super(scope, id);
    this.allowOrigins = validateOrigins(props.allowOrigins ?? ["*"]);
    this.restApi = new RestApi(this, "RestApi", {
      description: "Brokerage orders, portfolios and quotes",
      // X-Ray traces each request through API Gateway into the functions.
      deployOptions: { stageName: props.stageName ?? "prod", tracingEnabled: true },
      // An account-wide CloudWatch role is an account decision, not this stack's.
      cloudWatchRole: false,
      defaultCorsPreflightOptions: {
        allowOrigins: [...this.allowOrigins],
        allowMethods: ["GET", "POST", "OPTIONS"],
        allowHeaders: [...Cors.DEFAULT_HEADERS, "X-Correlation-Id", "Idempotency-Key"],
        exposeHeaders: ["Location"],
        maxAge: Duration.minutes(10),
      },
    });
    const write = new LambdaIntegration(props.writeHandler);
    const read = new LambdaIntegration(props.readHandler);
    const root = this.restApi.root;

    const authorizer = new TokenAuthorizer(this, "TokenAuthorizer", {
      handler: props.authorizerHandler,
      identitySource: "method.request.header.Authorization",
      validationRegex: "^Bearer [-0-9A-Za-z_.]+$",
      resultsCacheTtl: Duration.seconds(60),
    });
    // Options are given per method, not as the API's default, so the CORS preflights stay open.
    const signedIn: MethodOptions = { authorizer, apiKeyRequired: true };

    root.addResource("sessions").addMethod("POST", new LambdaIntegration(props.sessionHandler), { apiKeyRequired: true });

    const orders = root.addResource("orders");
    orders.addMethod("POST", write, signedIn);
    const order = orders.addResource("{orderId}");
    order.addMethod("GET", read, signedIn);
    order.addResource("events").addMethod("GET", read, signedIn);

    const user = root.addResource("users").addResource("{userId}");
    user.addMethod("GET", read, signedIn);
    user.addResource("transactions").addMethod("GET", read, signedIn);
    user.addResource("statements").addResource("{date}").addMethod("GET", read, signedIn);

    root.addResource("quotes").addResource("{ticker}").addMethod("GET", read, signedIn);

    const stage = this.restApi.deploymentStage;
    // No value given: API Gateway generates each key; scripts read it with GetApiKey.
    this.demoApiKey = new ApiKey(this, "DemoApiKey", { description: "The demo clients' key (README, Postman, seed)" });
    this.loadTestApiKey = new ApiKey(this, "LoadTestApiKey", { description: "The benchmark's and chaos suite's key" });
    const { clients, loadTests } = USAGE_PLANS;
    this.restApi
      .addUsagePlan("ClientsPlan", {
        name: "clients",
        description: "About 100 requests per minute per key, bursts of 20, 10,000 a day",
        throttle: { rateLimit: clients.rateLimit, burstLimit: clients.burstLimit },
        quota: { limit: clients.quotaPerDay, period: Period.DAY },
        apiStages: [{ stage }],
      })
      .addApiKey(this.demoApiKey);
    this.restApi
      .addUsagePlan("LoadTestsPlan", {
        name: "load-tests",
        description: "For the benchmark and the chaos suite: high limits, no quota",
        throttle: { rateLimit: loadTests.rateLimit, burstLimit: loadTests.burstLimit },
        apiStages: [{ stage }],
      })
      .addApiKey(this.loadTestApiKey);
  }

  /** The invoke URL of the deployed stage, e.g. https://abc.execute-api.us-east-1.amazonaws.com/prod/ */
  public get url(): string {
    return this.restApi.url;
  }
}
