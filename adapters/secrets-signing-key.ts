/** The token-signing key from Secrets Manager, read through Powertools Parameters and cached for 5 minutes. */
import { getSecret } from "@aws-lambda-powertools/parameters/secrets";
import type { SigningKeySource } from "./identity-ports.ts";

export class MissingSigningKeyError extends Error {
  override readonly name = "MissingSigningKeyError";
}

export class SecretsManagerSigningKey implements SigningKeySource {
  /** `secretId`: the secret's ARN (the stack passes it in the environment). */
  constructor(
    private readonly secretId: string,
    private readonly maxAgeSeconds = 300,
  ) {}

  async signingKey(): Promise<Uint8Array> {
    const value = await getSecret(this.secretId, { maxAge: this.maxAgeSeconds });
    if (value === undefined || value.length === 0) throw new MissingSigningKeyError(`secret ${this.secretId} has no value`);
    return typeof value === "string" ? new TextEncoder().encode(value) : value;
  }
}
