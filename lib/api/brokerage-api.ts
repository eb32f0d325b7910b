import { LambdaIntegration, RestApi } from "aws-cdk-lib/aws-apigateway";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";

export interface BrokerageApiProps {
  /** Answers `POST /orders`. */
  readonly writeHandler: IFunction;
  /** Answers every `GET` route. */
  readonly readHandler: IFunction;
  /** @default "prod" */
  readonly stageName?: string;
}

/**
 * The REST API (API Gateway v1, proxy integrations): one write route on the slow
 * path, four read routes on the fast path.
 */
export class BrokerageApi extends Construct {
  public readonly restApi: RestApi;

  constructor(scope: Construct, id: string, props: BrokerageApiProps) {
    super(scope, id);
    this.restApi = new RestApi(this, "RestApi", {
      description: "Brokerage orders, portfolios and quotes",
      deployOptions: { stageName: props.stageName ?? "prod" },
      // An account-wide CloudWatch role is an account decision, not this stack's.
      cloudWatchRole: false,
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
