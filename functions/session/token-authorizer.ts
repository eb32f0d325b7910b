import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from "aws-lambda";
import { InvalidAccessTokenError, verifyAccessToken } from "../../domain/identity/access-token.ts";
import type { CredentialStore, SigningKeySource } from "../../adapters/identity-ports.ts";
import { logger } from "../shared/logger.ts";

export interface AuthorizerPorts {
  readonly credentials: Pick<CredentialStore, "userExists">;
  readonly keys: SigningKeySource;
  readonly now?: () => Date;
}

const BEARER = /^Bearer ([-0-9A-Za-z_.]+)$/;

/**
 * The policy covers every method of the stage, not only the one called: API Gateway
 * caches it per token for 60 s and serves every route from that cache. From
 * `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<method>/<path>` it keeps
 * the API and stage and puts wildcards for the method and the path.
 */
export function stageWideResource(methodArn: string): string {
  const [prefix, apiAndPath] = [methodArn.slice(0, methodArn.lastIndexOf(":") + 1), methodArn.slice(methodArn.lastIndexOf(":") + 1)];
  const [apiId, stage] = apiAndPath.split("/");
  if (!prefix.startsWith("arn:") || !apiId || !stage) throw new Error(`not an execute-api method ARN: ${methodArn}`);
  return `${prefix}${apiId}/${stage}/*/*`;
}

/**
 * API Gateway answers 401 {"message":"Unauthorized"} when an authorizer throws
 * exactly this error; any other error becomes a 500.
 */
const unauthorized = (reason: string): Error => {
  logger.info("token refused", { reason });
  return new Error("Unauthorized");
};

/** The TOKEN authorizer: checks the bearer token and that its user still exists. */
export function tokenAuthorizer(ports: AuthorizerPorts) {
  const clock = ports.now ?? (() => new Date());
  return async (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const token = BEARER.exec(event.authorizationToken ?? "")?.[1];
    if (!token) throw unauthorized("no bearer token");
    let userId: string;
    try {
      ({ userId } = await verifyAccessToken(token, await ports.keys.signingKey(), clock()));
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) throw unauthorized(error.message);
      throw error;
    }
    if (!(await ports.credentials.userExists(userId))) throw unauthorized("user no longer exists");
    return {
      principalId: userId,
      policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: stageWideResource(event.methodArn) }] },
      context: { userId },
    };
  };
}
