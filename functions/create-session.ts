import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import { DynamoCredentialStore, DynamoLoginAttemptStore } from "../adapters/dynamo-credentials.ts";
import { SecretsManagerSigningKey } from "../adapters/secrets-signing-key.ts";
import { ENV } from "./shared/env-names.ts";
import { requireEnv } from "./shared/env.ts";
import { httpErrors } from "./shared/http.ts";
import { logForOrder } from "./shared/logger.ts";
import { correlationIdOf } from "./shared/correlation.ts";
import { signIn } from "./session/sign-in.ts";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { tracer } from "./shared/telemetry.ts";

const usersTable = requireEnv(ENV.USERS_TABLE);
const handleSignIn = signIn({
  credentials: new DynamoCredentialStore(usersTable),
  attempts: new DynamoLoginAttemptStore(usersTable),
  keys: new SecretsManagerSigningKey(requireEnv(ENV.SIGNING_SECRET_ARN)),
});

/** POST /sessions: signs a user in; the only route without the authorizer. */
const lambdaHandler = async (event: APIGatewayProxyEvent) => {
  logForOrder({ correlationId: correlationIdOf(event) });
  return handleSignIn(event);
};

export const handler = middy(lambdaHandler).use(captureLambdaHandler(tracer)).use(httpErrors());
