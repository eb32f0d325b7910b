import type { HttpResponse } from "../types.ts";
import { awsError, jsonResponse } from "./responses.ts";

/*
 * API Gateway's default gateway responses for access control, with its exact bodies and
 * x-amzn-ErrorType headers. Note the capital "Message" of ACCESS_DENIED, as AWS sends it.
 */

/** UNAUTHORIZED: no identity, an identity the validation expression refuses, or the authorizer said "Unauthorized". */
export const unauthorized = (): HttpResponse => awsError(401, "UnauthorizedException", "Unauthorized");

/** ACCESS_DENIED: the authorizer's policy denies the method explicitly, or does not allow it. */
export function accessDenied(explicit: boolean): HttpResponse {
  const message = explicit ? "User is not authorized to access this resource with an explicit deny" : "User is not authorized to access this resource";
  return jsonResponse(403, { Message: message }, { "x-amzn-ErrorType": "AccessDeniedException" });
}

/** AUTHORIZER_CONFIGURATION_ERROR / AUTHORIZER_FAILURE: the authorizer failed or answered something unusable. */
export const authorizerFailure = (): HttpResponse => jsonResponse(500, { message: null }, { "x-amzn-ErrorType": "AuthorizerConfigurationException" });

/** INVALID_API_KEY: missing, unknown or disabled key, or one on no usage plan of this stage. */
export const invalidApiKey = (): HttpResponse => awsError(403, "ForbiddenException", "Forbidden");

/** THROTTLED: the key's token bucket is empty. */
export const throttled = (): HttpResponse => awsError(429, "TooManyRequestsException", "Too Many Requests");

/** QUOTA_EXCEEDED: the key used its plan's quota for this period. */
export const quotaExceeded = (): HttpResponse => awsError(429, "LimitExceededException", "Limit Exceeded");
