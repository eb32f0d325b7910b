/** The ports of sign-in, token checks and personal-data encryption. */
import type { FailedAttempts } from "../domain/identity/login-attempts.ts";

export interface CredentialStore {
  /** The stored password hash, or undefined when the user has no credentials (or does not exist). */
  passwordHashOf(userId: string): Promise<string | undefined>;
  /** True when the user's profile exists: a deleted user's tokens stop working. */
  userExists(userId: string): Promise<boolean>;
}

export interface LoginAttemptStore {
  failedAttempts(userId: string): Promise<FailedAttempts | undefined>;
  /** Counts one failure, starting a new window when the last one ended before `nowSeconds`. */
  recordFailure(userId: string, nowSeconds: number): Promise<void>;
  clear(userId: string): Promise<void>;
}

/** The HMAC key tokens are signed and checked with. */
export interface SigningKeySource {
  signingKey(): Promise<Uint8Array>;
}

/**
 * What a field's ciphertext is bound to: decrypting it under another context fails,
 * so one user's encrypted e-mail cannot be passed off as another's.
 */
export interface FieldContext {
  readonly purpose: "personal-data";
  readonly userId: string;
}

/** Encrypts single attribute values (envelope encryption); the result is one string. */
export interface FieldCipher {
  encrypt(plaintext: string, context: FieldContext): Promise<string>;
  decrypt(ciphertext: string, context: FieldContext): Promise<string>;
}

export class FieldDecryptionError extends Error {
  override readonly name = "FieldDecryptionError";
}
