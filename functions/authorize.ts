import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import { DynamoCredentialStore } from "../adapters/dynamo-credentials.ts";
import { SecretsManagerSigningKey } from "../adapters/secrets-signing-key.ts";
import { ENV } from "./shared/env-names.ts";
import { requireEnv } from "./shared/env.ts";
import { tokenAuthorizer } from "./session/token-authorizer.ts";
import { tracer } from "./shared/telemetry.ts";

/** The API's Lambda authorizer (TOKEN type) for every route but POST /sessions. */
const lambdaHandler = tokenAuthorizer({
  credentials: new DynamoCredentialStore(requireEnv(ENV.USERS_TABLE)),
  keys: new SecretsManagerSigningKey(requireEnv(ENV.SIGNING_SECRET_ARN)),
});

export const handler = middy(lambdaHandler).use(captureLambdaHandler(tracer));
