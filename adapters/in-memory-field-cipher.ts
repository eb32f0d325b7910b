/**
 * The same envelope encryption as KmsFieldCipher, with the master key held in memory
 * instead of KMS: real AES-256-GCM both for the data keys and for the values. For
 * tests and for tools that must run without KMS.
 */
import { randomBytes } from "node:crypto";
import { EnvelopeFieldCipher, contextBytes, openWith, sealWith, type DataKey, type KeyWrapper } from "./envelope.ts";
import type { FieldContext } from "./identity-ports.ts";

class InMemoryKeyWrapper implements KeyWrapper {
  constructor(private readonly masterKey: Uint8Array) {}

  async generateDataKey(context: FieldContext): Promise<DataKey> {
    const plaintext = randomBytes(32);
    const { iv, ciphertext, tag } = sealWith(this.masterKey, Buffer.from(plaintext), contextBytes(context));
    return { plaintext: Buffer.from(plaintext), wrapped: Buffer.concat([iv, tag, ciphertext]) };
  }

  async unwrap(wrapped: Uint8Array, context: FieldContext): Promise<Uint8Array> {
    const bytes = Buffer.from(wrapped);
    return openWith(this.masterKey, { iv: bytes.subarray(0, 12), tag: bytes.subarray(12, 28), ciphertext: bytes.subarray(28) }, contextBytes(context));
  }
}

export class InMemoryFieldCipher extends EnvelopeFieldCipher {
  constructor(masterKey: Uint8Array = randomBytes(32)) {
    super(new InMemoryKeyWrapper(masterKey));
  }
}
