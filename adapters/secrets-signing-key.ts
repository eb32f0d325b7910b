/** The token-signing key from Secrets Manager, read through Powertools Parameters and cached for 5 minutes. */
import { SecretsProvider } from "@aws-lambda-powertools/parameters/secrets";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { tracer } from "../functions/shared/telemetry.ts";
import type { SigningKeySource } from "./identity-ports.ts";

/** Made on first use, on a client the Tracer captures (Parameters would otherwise make its own). */
let provider: SecretsProvider | undefined;
const secrets = (): SecretsProvider => (provider ??= new SecretsProvider({ awsSdkV3Client: tracer.captureAWSv3Client(new SecretsManagerClient({})) }));

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
    const value = await secrets().get(this.secretId, { maxAge: this.maxAgeSeconds });
    if (value === undefined || value.length === 0) throw new MissingSigningKeyError(`secret ${this.secretId} has no value`);
    return typeof value === "string" ? new TextEncoder().encode(value) : value;
  }
}
