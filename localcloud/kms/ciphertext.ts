/**
 * The ciphertext blob the local KMS hands out. Opaque to clients, as on AWS:
 * version (1 byte) | key id (16 bytes, the key's UUID) | iv (12) | tag (16) | data.
 * The header and the encryption context are AES-256-GCM's additional data, so a blob
 * whose key id was changed, or a Decrypt with another context, fails to authenticate.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { InvalidCiphertextError } from "./errors.ts";

const VERSION = 1;
const KEY_ID_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES;
const OVERHEAD = HEADER_BYTES + IV_BYTES + TAG_BYTES;

export type EncryptionContext = Readonly<Record<string, string>>;

/** The context as bytes that do not depend on the order its keys were given in. */
function contextBytes(context: EncryptionContext): Buffer {
  const pairs = Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(pairs), "utf8");
}

function header(keyId: string): Buffer {
  const id = Buffer.from(keyId.replace(/-/g, ""), "hex");
  if (id.length !== KEY_ID_BYTES) throw new Error(`Not a key id: ${keyId}`);
  return Buffer.concat([Buffer.from([VERSION]), id]);
}

function additionalData(head: Buffer, context: EncryptionContext): Buffer {
  return Buffer.concat([head, contextBytes(context)]);
}

export function sealBlob(keyId: string, material: Buffer, plaintext: Buffer, context: EncryptionContext): Buffer {
  const head = header(keyId);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", material, iv);
  cipher.setAAD(additionalData(head, context));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([head, iv, cipher.getAuthTag(), data]);
}

/** The id of the key a blob names; InvalidCiphertextError when it is not a blob of ours. */
export function blobKeyId(blob: Buffer): string {
  if (blob.length < OVERHEAD || blob[0] !== VERSION) throw new InvalidCiphertextError();
  const hex = blob.subarray(1, HEADER_BYTES).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function openBlob(blob: Buffer, material: Buffer, context: EncryptionContext): Buffer {
  blobKeyId(blob);
  const head = blob.subarray(0, HEADER_BYTES);
  const iv = blob.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
  const tag = blob.subarray(HEADER_BYTES + IV_BYTES, OVERHEAD);
  const decipher = createDecipheriv("aes-256-gcm", material, iv);
  decipher.setAAD(additionalData(head, context));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(blob.subarray(OVERHEAD)), decipher.final()]);
  } catch {
    // Wrong context, altered bytes or another key's material: AWS says no more than this.
    throw new InvalidCiphertextError();
  }
}
