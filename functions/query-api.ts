import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { DynamoAuditTrail } from "../adapters/dynamo-audit-trail.ts";
import { DynamoOrderStore } from "../adapters/dynamo-order-store.ts";
import { DynamoQuoteStore } from "../adapters/dynamo-quote-store.ts";
import { DynamoStatementBook } from "../adapters/dynamo-statement-book.ts";
import { DynamoUserStore } from "../adapters/dynamo-user-store.ts";
import { callerOf } from "./shared/caller.ts";
import { correlationIdOf } from "./shared/correlation.ts";
import { ENV } from "./shared/env-names.ts";
import { requireEnv } from "./shared/env.ts";
import { HttpError, httpErrors } from "./shared/http.ts";
import { logForOrder } from "./shared/logger.ts";
import { ROUTES, type QueryPorts } from "./query/routes.ts";
import { tracer } from "./shared/telemetry.ts";

const ports: QueryPorts = {
  users: new DynamoUserStore(requireEnv(ENV.USERS_TABLE)),
  orders: new DynamoOrderStore(requireEnv(ENV.TRANSACTIONS_TABLE)),
  quotes: new DynamoQuoteStore(requireEnv(ENV.QUOTES_TABLE)),
  audit: new DynamoAuditTrail(requireEnv(ENV.AUDIT_TABLE)),
  statements: new DynamoStatementBook(requireEnv(ENV.STATEMENTS_TABLE)),
};

/** The read side: every GET is answered straight from DynamoDB. */
const lambdaHandler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  logForOrder({ correlationId: correlationIdOf(event), ...(event.pathParameters?.orderId ? { orderId: event.pathParameters.orderId } : {}) });
  // Every read route needs the caller, quotes included: no context, no answer.
  callerOf(event);
  const route = ROUTES[event.resource];
  if (!route || event.httpMethod !== "GET") throw new HttpError(404, "ROUTE_NOT_FOUND", `No route for ${event.httpMethod} ${event.resource}.`);
  return route(event, ports);
};

export const handler = middy(lambdaHandler).use(captureLambdaHandler(tracer)).use(httpErrors());
