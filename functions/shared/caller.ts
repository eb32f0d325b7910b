import type { APIGatewayProxyEvent } from "aws-lambda";
import { HttpError } from "./http.ts";

/**
 * The signed-in user, as the API's Lambda authorizer put it in the request context.
 * Functions never read tokens themselves; a request that arrives without this
 * context came through a route without the authorizer and is not served.
 */
export function callerOf(event: Pick<APIGatewayProxyEvent, "requestContext">): string {
  const authorizer = (event.requestContext as Partial<APIGatewayProxyEvent["requestContext"]> | undefined)?.authorizer;
  const userId: unknown = authorizer?.userId ?? authorizer?.principalId;
  if (typeof userId !== "string" || userId === "") throw new HttpError(401, "UNAUTHENTICATED", "Sign in first: POST /sessions, then send Authorization: Bearer <accessToken>.");
  return userId;
}
