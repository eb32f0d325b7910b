import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { z } from "zod";
import { issueAccessToken } from "../../domain/identity/access-token.ts";
import { lockedForSeconds } from "../../domain/identity/login-attempts.ts";
import { dummyPasswordHash, verifyPassword } from "../../domain/identity/password.ts";
import type { CredentialStore, LoginAttemptStore, SigningKeySource } from "../../adapters/identity-ports.ts";
import { HttpError, jsonResponse } from "../shared/http.ts";
import { logger } from "../shared/logger.ts";
import { jsonBodyOf, requireJsonContentType } from "../shared/request-body.ts";

export interface SessionPorts {
  readonly credentials: CredentialStore;
  readonly attempts: LoginAttemptStore;
  readonly keys: SigningKeySource;
  readonly now?: () => Date;
}

const signInSchema = z.strictObject({
  userId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "1 to 64 letters, digits, - or _"),
  password: z.string().min(1).max(1024),
});

const noStore = { "cache-control": "no-store" };

/** POST /sessions: a password for a 15-minute access token. */
export function signIn(ports: SessionPorts) {
  const clock = ports.now ?? (() => new Date());
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    requireJsonContentType(event);
    const parsed = signInSchema.safeParse(jsonBodyOf(event));
    if (!parsed.success) throw new HttpError(400, "VALIDATION_FAILED", "Send {\"userId\", \"password\"}.", parsed.error.issues.map(({ path, message }) => ({ path, message })));
    const { userId, password } = parsed.data;
    const now = clock();
    const nowSeconds = Math.floor(now.getTime() / 1000);

    const waitSeconds = lockedForSeconds(await ports.attempts.failedAttempts(userId), nowSeconds);
    if (waitSeconds > 0) {
      logger.warn("sign-in refused: too many attempts", { retryAfterSeconds: waitSeconds });
      const error = { code: "TOO_MANY_ATTEMPTS", message: `Too many failed sign-ins. Try again in ${waitSeconds} s.` };
      return jsonResponse(429, { error }, { "Retry-After": String(waitSeconds), ...noStore });
    }

    // An unknown user costs one scrypt too, against a hash nobody has the password of.
    const stored = await ports.credentials.passwordHashOf(userId);
    const matches = await verifyPassword(password, stored ?? (await dummyPasswordHash()));
    if (!matches || stored === undefined) {
      await ports.attempts.recordFailure(userId, nowSeconds);
      logger.info("sign-in failed", { userId });
      throw new HttpError(401, "INVALID_CREDENTIALS", "The user id or the password is wrong.");
    }
    await ports.attempts.clear(userId);
    const token = await issueAccessToken(userId, await ports.keys.signingKey(), now);
    logger.info("signed in", { userId });
    return jsonResponse(201, token, noStore);
  };
}
