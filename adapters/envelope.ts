/**
 * Envelope encryption of one field: a fresh 256-bit data key per value encrypts it
 * with AES-256-GCM (the context as additional data); the data key is kept only in
 * wrapped form, by whoever holds the master key (KMS). Stored as one string:
 * `v1.<wrapped key>.<iv>.<ciphertext>.<tag>`, each part base64url.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { FieldDecryptionError, type FieldCipher, type FieldContext } from "./identity-ports.ts";

export interface DataKey {
  readonly plaintext: Uint8Array;
  readonly wrapped: Uint8Array;
}

/** Holds the master key: makes data keys and unwraps them, bound to the field's context. */
export interface KeyWrapper {
  generateDataKey(context: FieldContext): Promise<DataKey>;
  unwrap(wrapped: Uint8Array, context: FieldContext): Promise<Uint8Array>;
}

const VERSION = "v1";

/** The context as stable bytes, keys sorted, for GCM's additional data. */
export const contextBytes = (context: FieldContext): Buffer =>
  Buffer.from(JSON.stringify(Object.fromEntries(Object.entries(context).sort(([a], [b]) => a.localeCompare(b)))), "utf8");

export function sealWith(key: Uint8Array, plaintext: Buffer, aad: Buffer): { iv: Buffer; ciphertext: Buffer; tag: Buffer } {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

export function openWith(key: Uint8Array, sealed: { iv: Buffer; ciphertext: Buffer; tag: Buffer }, aad: Buffer): Buffer {
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, sealed.iv);
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    throw new FieldDecryptionError("the value could not be decrypted: wrong key, wrong context or altered");
  }
}

export class EnvelopeFieldCipher implements FieldCipher {
  constructor(private readonly keys: KeyWrapper) {}

  async encrypt(plaintext: string, context: FieldContext): Promise<string> {
    const dataKey = await this.keys.generateDataKey(context);
    try {
      const { iv, ciphertext, tag } = sealWith(dataKey.plaintext, Buffer.from(plaintext, "utf8"), contextBytes(context));
      return [VERSION, Buffer.from(dataKey.wrapped), iv, ciphertext, tag].map((part) => (typeof part === "string" ? part : part.toString("base64url"))).join(".");
    } finally {
      dataKey.plaintext.fill(0);
    }
  }

  async decrypt(stored: string, context: FieldContext): Promise<string> {
    const [version, wrapped, iv, ciphertext, tag, ...rest] = stored.split(".");
    if (version !== VERSION || !wrapped || !iv || !ciphertext || !tag || rest.length > 0) throw new FieldDecryptionError("the value is not an encrypted field of this format");
    const key = await this.keys.unwrap(Buffer.from(wrapped, "base64url"), context);
    try {
      const sealed = { iv: Buffer.from(iv, "base64url"), ciphertext: Buffer.from(ciphertext, "base64url"), tag: Buffer.from(tag, "base64url") };
      return openWith(key, sealed, contextBytes(context)).toString("utf8");
    } finally {
      key.fill(0);
    }
  }
}
