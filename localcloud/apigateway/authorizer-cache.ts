import type { AuthorizerResult } from "./authorizer-result.ts";

/**
 * Authorizer results kept per authorizer and identity for the authorizer's TTL; the
 * policy is evaluated again for each request's method, as API Gateway does.
 */
export class AuthorizerCache {
  private readonly entries = new Map<string, { result: AuthorizerResult; expiresAt: number }>();

  constructor(private readonly clock: () => number = Date.now) {}

  get(key: string): AuthorizerResult | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.result;
  }

  set(key: string, result: AuthorizerResult, ttlSeconds: number): void {
    if (ttlSeconds <= 0) return;
    this.entries.set(key, { result, expiresAt: this.clock() + ttlSeconds * 1000 });
  }

  /** A deployment of the API flushes its authorizers' results. */
  flushApi(apiId: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(`${apiId}/`)) this.entries.delete(key);
  }
}
