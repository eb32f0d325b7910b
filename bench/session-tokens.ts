/**
 * Access tokens for load-test users: each user signs in (POST /sessions) once, and again
 * when a request is answered 401 (the token expired, or the signing key changed). However
 * many requests are waiting on the same user, one sign-in serves them all.
 */
import type { Post, PostOutcome } from "./http-post.ts";

export class SignInError extends Error {
  override readonly name = "SignInError";
  constructor(
    message: string,
    /** The HTTP status, or 0 when there was none. */
    readonly status: number,
    /** False for a definite refusal (wrong password, malformed request); true for anything worth trying again. */
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface SessionTokens {
  /** The user's current token, signing in first when there is none. */
  token(userId: string): Promise<string>;
  /** After a 401 for `stale`: signs in again, unless another request already did. */
  renew(userId: string, stale: string): Promise<string>;
  /** Sign-ins sent so far (each one costs the API a scrypt). */
  readonly signIns: number;
}

export interface SessionTokenOptions {
  readonly sessionsUrl: string;
  readonly apiKey: string;
  readonly password: string;
  readonly post: Post;
}

/** The headers of an authenticated call. */
export const authHeaders = (apiKey: string, token: string): Record<string, string> => ({ "x-api-key": apiKey, authorization: `Bearer ${token}` });

function tokenFrom(outcome: PostOutcome, userId: string): string {
  if (outcome.kind !== "status") throw new SignInError(`sign-in of ${userId}: ${outcome.kind === "timeout" ? "timeout" : outcome.code}`, 0, true);
  const { status, body } = outcome;
  if (status === 201) {
    try {
      const token = (JSON.parse(body) as { accessToken?: unknown }).accessToken;
      if (typeof token === "string" && token !== "") return token;
    } catch {
      // falls through to the error below
    }
    throw new SignInError(`sign-in of ${userId}: 201 without an accessToken`, status, false);
  }
  // 400 and 401 will not change by asking again; a 403 or 404 comes from a gateway still deploying, 429 and 5xx pass.
  throw new SignInError(`sign-in of ${userId}: HTTP ${status} ${body.slice(0, 200)}`, status, status !== 400 && status !== 401);
}

export function sessionTokens(options: SessionTokenOptions): SessionTokens {
  const current = new Map<string, Promise<string>>();
  let signIns = 0;
  const signIn = (userId: string): Promise<string> => {
    signIns++;
    const pending = options
      .post(options.sessionsUrl, { userId, password: options.password }, { "x-api-key": options.apiKey })
      .then((outcome) => tokenFrom(outcome, userId));
    current.set(userId, pending);
    // A failed sign-in is forgotten, so the next request tries again.
    pending.catch(() => {
      if (current.get(userId) === pending) current.delete(userId);
    });
    return pending;
  };
  return {
    token: (userId) => current.get(userId) ?? signIn(userId),
    async renew(userId, stale) {
      const pending = current.get(userId);
      if (pending) {
        const token = await pending.catch(() => undefined);
        if (token !== undefined && token !== stale) return token;
        // Another request may have started a sign-in while this one waited.
        const latest = current.get(userId);
        if (latest && latest !== pending) return latest;
      }
      return signIn(userId);
    },
    get signIns() {
      return signIns;
    },
  };
}

/**
 * POSTs as `userId`: with the user's token and the API key; after a 401, once more with a
 * fresh token. A sign-in that fails ends as an error outcome, like a failed connection.
 */
export function authorizedPost(tokens: SessionTokens, apiKey: string, post: Post): (url: string, userId: string, body: unknown) => Promise<PostOutcome> {
  const signInFailed = (error: unknown): PostOutcome => ({ kind: "error", code: error instanceof SignInError ? `SIGN_IN_FAILED ${error.status}` : "SIGN_IN_FAILED" });
  return async (url, userId, body) => {
    let token: string;
    try {
      token = await tokens.token(userId);
    } catch (error) {
      return signInFailed(error);
    }
    const outcome = await post(url, body, authHeaders(apiKey, token));
    if (outcome.kind !== "status" || outcome.status !== 401) return outcome;
    try {
      token = await tokens.renew(userId, token);
    } catch (error) {
      return signInFailed(error);
    }
    return post(url, body, authHeaders(apiKey, token));
  };
}
