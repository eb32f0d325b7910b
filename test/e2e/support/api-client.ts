import { DEMO_USERS } from "../../../scripts/seed-users.ts";

/** Sign-in refused where the suite expected a token: the demo users' passwords or the key are wrong. */
export class SignInFailedError extends Error {
  override readonly name = "SignInFailedError";
}

export interface ApiAnswer<T> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

const DEMO_PASSWORDS: Readonly<Record<string, string>> = Object.fromEntries(DEMO_USERS.map(({ userId, password }) => [userId, password]));

/**
 * Calls the API as a signed-in user, as a client would: one sign-in per user
 * (POST /sessions), the token kept for the rest of the run, and the API key
 * and `Authorization: Bearer` on every request.
 */
export class ApiClient {
  private readonly tokens = new Map<string, Promise<string>>();

  /** `apiUrl` ends with the stage and a slash, as the stack's ApiUrl output. */
  constructor(
    readonly apiUrl: string,
    readonly apiKey: string,
    private readonly passwords: Readonly<Record<string, string>> = DEMO_PASSWORDS,
  ) {}

  /** POST /sessions as sent, whatever the answer. */
  signIn(userId: string, password: string): Promise<Response> {
    return fetch(`${this.apiUrl}sessions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": this.apiKey },
      body: JSON.stringify({ userId, password }),
    });
  }

  /** The user's access token, signed in for on first use. */
  token(userId: string): Promise<string> {
    let token = this.tokens.get(userId);
    if (!token) {
      token = this.freshToken(userId);
      // A failed sign-in is not kept: the next call tries again.
      token.catch(() => this.tokens.delete(userId));
      this.tokens.set(userId, token);
    }
    return token;
  }

  private async freshToken(userId: string): Promise<string> {
    const password = this.passwords[userId];
    if (password === undefined) throw new SignInFailedError(`no password known for user ${userId}`);
    const response = await this.signIn(userId, password);
    const text = await response.text();
    if (response.status !== 201) throw new SignInFailedError(`sign-in of user ${userId} answered ${response.status} ${text}`);
    const { accessToken } = JSON.parse(text) as { accessToken?: unknown };
    if (typeof accessToken !== "string") throw new SignInFailedError(`sign-in of user ${userId} gave no accessToken: ${text}`);
    return accessToken;
  }

  /** The headers a signed-in request of `userId` carries. */
  async headers(userId: string): Promise<Record<string, string>> {
    return { authorization: `Bearer ${await this.token(userId)}`, "x-api-key": this.apiKey };
  }

  /** A request as `userId`; `path` is relative to the stage URL. The caller's headers win. */
  async fetch(userId: string, path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.apiUrl}${path}`, { ...init, headers: { ...(await this.headers(userId)), ...(init.headers as Record<string, string> | undefined) } });
  }

  async get<T>(userId: string, path: string): Promise<ApiAnswer<T>> {
    return answerOf<T>(await this.fetch(userId, path));
  }

  async post<T>(userId: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer<T>> {
    return answerOf<T>(await this.fetch(userId, path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }));
  }
}

async function answerOf<T>(response: Response): Promise<ApiAnswer<T>> {
  return { status: response.status, body: (await response.json()) as T, headers: response.headers };
}
