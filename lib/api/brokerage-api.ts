import { Duration } from "aws-cdk-lib";
import { Cors, LambdaIntegration, RestApi } from "aws-cdk-lib/aws-apigateway";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";

export interface BrokerageApiProps {
  /** Answers `POST /orders`. */
  readonly writeHandler: IFunction;
  /** Answers every `GET` route. */
  readonly readHandler: IFunction;
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

/**
 * The REST API (API Gateway v1, proxy integrations): one write route on the slow
 * path, four read routes on the fast path. Every resource answers the CORS
 * preflight itself (an OPTIONS method with a MOCK integration); the functions
 * put the allow-origin header on their own answers.
 */
export class BrokerageApi extends Construct {
  public readonly restApi: RestApi;
  public readonly allowOrigins: readonly string[];

  constructor(scope: Construct, id: string, props: BrokerageApiProps) {
    super(scope, id);
    this.allowOrigins = validateOrigins(props.allowOrigins ?? ["*"]);
    this.restApi = new RestApi(this, "RestApi", {
      description: "Brokerage orders, portfolios and quotes",
      deployOptions: { stageName: props.stageName ?? "prod" },
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

    const orders = root.addResource("orders");
    orders.addMethod("POST", write);
    orders.addResource("{orderId}").addMethod("GET", read);

    const user = root.addResource("users").addResource("{userId}");
    user.addMethod("GET", read);
    user.addResource("transactions").addMethod("GET", read);

    root.addResource("quotes").addResource("{ticker}").addMethod("GET", read);
  }

  /** The invoke URL of the deployed stage, e.g. https://abc.execute-api.us-east-1.amazonaws.com/prod/ */
  public get url(): string {
    return this.restApi.url;
  }
}
