/** Field encryption under a customer-managed KMS key: GenerateDataKey to encrypt, Decrypt to read. */
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { EnvelopeFieldCipher, type DataKey, type KeyWrapper } from "./envelope.ts";
import { FieldDecryptionError, type FieldContext } from "./identity-ports.ts";

const encryptionContext = (context: FieldContext): Record<string, string> => ({ purpose: context.purpose, userId: context.userId });

class KmsKeyWrapper implements KeyWrapper {
  constructor(
    private readonly keyId: string,
    private readonly client: KMSClient,
  ) {}

  async generateDataKey(context: FieldContext): Promise<DataKey> {
    const out = await this.client.send(new GenerateDataKeyCommand({ KeyId: this.keyId, KeySpec: "AES_256", EncryptionContext: encryptionContext(context) }));
    if (!out.Plaintext || !out.CiphertextBlob) throw new Error("KMS GenerateDataKey returned no key");
    return { plaintext: out.Plaintext, wrapped: out.CiphertextBlob };
  }

  async unwrap(wrapped: Uint8Array, context: FieldContext): Promise<Uint8Array> {
    try {
      const out = await this.client.send(new DecryptCommand({ KeyId: this.keyId, CiphertextBlob: wrapped, EncryptionContext: encryptionContext(context) }));
      if (!out.Plaintext) throw new FieldDecryptionError("KMS Decrypt returned no key");
      return out.Plaintext;
    } catch (error) {
      // A wrong context or a foreign blob: the value is unreadable, not the service down.
      if (error instanceof Error && (error.name === "InvalidCiphertextException" || error.name === "IncorrectKeyException")) {
        throw new FieldDecryptionError(`KMS refused the data key: ${error.name}`);
      }
      throw error;
    }
  }
}

/** `keyId`: the key's ARN, id or alias. */
export class KmsFieldCipher extends EnvelopeFieldCipher {
  constructor(keyId: string, client: KMSClient = new KMSClient({})) {
    super(new KmsKeyWrapper(keyId, client));
  }
}
