/**
 * A stand-in for KMS's GenerateDataKey and Decrypt (JSON protocol, `TrentService.*`)
 * with a master key held in memory: real AES-256-GCM, the encryption context bound
 * as additional data, InvalidCiphertextException on a mismatch, as KMS answers.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { HttpRequest, HttpResponse } from "../../../localcloud/types.ts";

export const STUB_KEY_ARN = "arn:aws:kms:us-east-1:000000000000:key/00000000-0000-4000-8000-000000000000";

const aadOf = (context: Record<string, string> = {}) => Buffer.from(JSON.stringify(Object.entries(context).sort(([a], [b]) => a.localeCompare(b))));
const json = (statusCode: number, body: unknown): HttpResponse => ({ statusCode, headers: { "content-type": "application/x-amz-json-1.1" }, body: JSON.stringify(body) });

export function kmsStub(masterKey: Buffer = randomBytes(32)) {
  const calls: string[] = [];
  const handle = (request: HttpRequest): HttpResponse | undefined => {
    const target = String(request.headers["x-amz-target"] ?? "");
    if (!target.startsWith("TrentService.")) return undefined;
    const action = target.slice("TrentService.".length);
    calls.push(action);
    const input = JSON.parse(request.body.toString("utf8")) as { KeyId?: string; CiphertextBlob?: string; EncryptionContext?: Record<string, string> };
    if (action === "GenerateDataKey") {
      const plaintext = randomBytes(32);
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", masterKey, iv).setAAD(aadOf(input.EncryptionContext));
      const sealed = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      const blob = Buffer.concat([iv, cipher.getAuthTag(), sealed]);
      return json(200, { KeyId: STUB_KEY_ARN, Plaintext: plaintext.toString("base64"), CiphertextBlob: blob.toString("base64") });
    }
    if (action === "Decrypt") {
      const blob = Buffer.from(input.CiphertextBlob ?? "", "base64");
      try {
        const decipher = createDecipheriv("aes-256-gcm", masterKey, blob.subarray(0, 12)).setAAD(aadOf(input.EncryptionContext));
        decipher.setAuthTag(blob.subarray(12, 28));
        const plaintext = Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]);
        return json(200, { KeyId: STUB_KEY_ARN, Plaintext: plaintext.toString("base64"), EncryptionAlgorithm: "SYMMETRIC_DEFAULT" });
      } catch {
        return json(400, { __type: "InvalidCiphertextException", message: "" });
      }
    }
    return json(400, { __type: "UnsupportedOperationException", message: `${action} is not stubbed` });
  };
  return { handle, calls };
}
