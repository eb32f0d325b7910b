#!/usr/bin/env node
import { App } from "aws-cdk-lib";
import { BrokerageStack } from "../lib/brokerage-stack.ts";

// No account or region here: the same assembly deploys to AWS, LocalStack and the local cloud.
const app = new App();
new BrokerageStack(app, "Brokerage", {
  description: "Brokerage: asynchronous order pipeline (API Gateway, Lambda, SQS, DynamoDB)",
  priceSource: app.node.tryGetContext("priceSource") ?? process.env.BROKERAGE_PRICE_SOURCE,
  simulatedMarketFailureRate: Number(app.node.tryGetContext("simulatedMarketFailureRate") ?? process.env.BROKERAGE_SIMULATED_FAILURE_RATE ?? 0),
});
