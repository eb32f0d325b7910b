/**
 * KMS on the local cloud's endpoint (JSON 1.1, `X-Amz-Target: TrentService.*`):
 * symmetric customer keys, aliases, Encrypt/Decrypt and data keys, and in-process
 * for the CloudFormation engine (`keys`). Key material stays under `<dataDir>/kms/`,
 * so what was encrypted before a restart decrypts after it.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { handleJsonRpc } from "../json-rpc.ts";
import type { CloudContext, HttpRequest, HttpResponse, Service } from "../types.ts";
import { KmsOperationError, KmsValidationError } from "./errors.ts";
import { KeyRing } from "./key-ring.ts";
import { KeyStore, type StoredKey } from "./key-store.ts";
import { blob, boundedInteger, context, dataKeyBytes, type Input, optionalString, page, requiredString } from "./wire.ts";

const ALGORITHM = "SYMMETRIC_DEFAULT";
const DAY_MS = 86_400_000;

export class KmsService implements Service {
  /** The keys and aliases, for in-process callers (the CloudFormation engine). */
  readonly keys: KeyRing;

  constructor(
    private readonly ctx: CloudContext,
    options: { reset?: boolean; inMemory?: boolean } = {},
  ) {
    const dir = join(ctx.dataDir, "kms");
    if (options.reset && !options.inMemory) rmSync(dir, { recursive: true, force: true });
    this.keys = new KeyRing(new KeyStore(options.inMemory ? undefined : join(dir, "keys.json")), ctx.region, ctx.accountId);
  }

  async handle(request: HttpRequest): Promise<HttpResponse> {
    return handleJsonRpc<Input>(request, "TrentService.", (action, input) => this.dispatch(action, input), {
      isOwnError: (error): error is KmsOperationError => error instanceof KmsOperationError,
      notAnObject: () => new KmsValidationError("The request body must be a JSON object."),
    });
  }

  async stop(): Promise<void> {}

  private dispatch(action: string, input: Input): unknown {
    const keys = this.keys;
    switch (action) {
      case "CreateKey": {
        for (const [field, supported] of [["KeySpec", ALGORITHM], ["CustomerMasterKeySpec", ALGORITHM], ["KeyUsage", "ENCRYPT_DECRYPT"], ["Origin", "AWS_KMS"]] as const) {
          const value = input[field];
          if (value !== undefined && value !== supported) throw new KmsOperationError("UnsupportedOperationException", `The local cloud's KMS makes ${field} ${supported} keys only, not ${String(value)}`);
        }
        const description = optionalString(input, "Description");
        return { KeyMetadata: this.metadata(keys.putKey({ ...(description === undefined ? {} : { description }) })) };
      }
      case "DescribeKey":
        return { KeyMetadata: this.metadata(keys.resolve(requiredString(input, "KeyId"))) };
      case "ListKeys":
        return page(keys.keys().map((key) => ({ KeyId: key.keyId, KeyArn: keys.keyArn(key.keyId) })), input, "Keys");
      case "ListAliases": {
        const keyId = optionalString(input, "KeyId");
        const target = keyId === undefined ? undefined : keys.resolve(keyId).keyId;
        const aliases = keys.aliases().filter((alias) => target === undefined || alias.targetKeyId === target).map((alias) => ({
          AliasName: alias.name,
          AliasArn: keys.aliasArn(alias.name),
          TargetKeyId: alias.targetKeyId,
          CreationDate: alias.creationDate / 1000,
          LastUpdatedDate: alias.lastUpdatedDate / 1000,
        }));
        return page(aliases, input, "Aliases");
      }
      case "CreateAlias":
      case "UpdateAlias":
        keys.putAlias(requiredString(input, "AliasName"), requiredString(input, "TargetKeyId"), action === "UpdateAlias");
        return {};
      case "DeleteAlias":
        keys.deleteAlias(requiredString(input, "AliasName"));
        return {};
      case "Encrypt": {
        const plaintext = blob(input, "Plaintext");
        if (plaintext.length > 4096) throw new KmsValidationError("1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096");
        const { blob: ciphertext, key } = keys.encrypt(requiredString(input, "KeyId"), plaintext, context(input, "EncryptionContext"));
        return { CiphertextBlob: ciphertext.toString("base64"), KeyId: keys.keyArn(key.keyId), EncryptionAlgorithm: ALGORITHM };
      }
      case "Decrypt": {
        const { plaintext, key } = keys.decrypt(blob(input, "CiphertextBlob"), context(input, "EncryptionContext"), optionalString(input, "KeyId"));
        return { Plaintext: plaintext.toString("base64"), KeyId: keys.keyArn(key.keyId), EncryptionAlgorithm: ALGORITHM };
      }
      case "ReEncrypt": {
        const source = keys.decrypt(blob(input, "CiphertextBlob"), context(input, "SourceEncryptionContext"), optionalString(input, "SourceKeyId"));
        const target = keys.encrypt(requiredString(input, "DestinationKeyId"), source.plaintext, context(input, "DestinationEncryptionContext"));
        return {
          CiphertextBlob: target.blob.toString("base64"),
          SourceKeyId: keys.keyArn(source.key.keyId),
          KeyId: keys.keyArn(target.key.keyId),
          SourceEncryptionAlgorithm: ALGORITHM,
          DestinationEncryptionAlgorithm: ALGORITHM,
        };
      }
      case "GenerateDataKey":
      case "GenerateDataKeyWithoutPlaintext": {
        const dataKey = randomBytes(dataKeyBytes(input));
        const { blob: ciphertext, key } = keys.encrypt(requiredString(input, "KeyId"), dataKey, context(input, "EncryptionContext"));
        return {
          CiphertextBlob: ciphertext.toString("base64"),
          ...(action === "GenerateDataKey" ? { Plaintext: dataKey.toString("base64") } : {}),
          KeyId: keys.keyArn(key.keyId),
        };
      }
      case "GenerateRandom":
        return { Plaintext: randomBytes(boundedInteger(input, "NumberOfBytes", 1, 1024)).toString("base64") };
      case "EnableKeyRotation": {
        const period = input["RotationPeriodInDays"] === undefined ? 365 : boundedInteger(input, "RotationPeriodInDays", 90, 2560);
        keys.update(requiredString(input, "KeyId"), (key) => ({ ...key, rotationEnabled: true, rotationPeriodInDays: period }));
        return {};
      }
      case "DisableKeyRotation":
        keys.update(requiredString(input, "KeyId"), (key) => ({ ...key, rotationEnabled: false }));
        return {};
      case "GetKeyRotationStatus": {
        const key = keys.resolve(requiredString(input, "KeyId"));
        return {
          KeyId: keys.keyArn(key.keyId),
          KeyRotationEnabled: key.rotationEnabled,
          ...(key.rotationEnabled ? { RotationPeriodInDays: key.rotationPeriodInDays, NextRotationDate: nextRotation(key) / 1000 } : {}),
        };
      }
      case "EnableKey":
      case "DisableKey":
        keys.update(requiredString(input, "KeyId"), (key) => {
          if (key.state === "PendingDeletion") throw new KmsOperationError("KMSInvalidStateException", `${keys.keyArn(key.keyId)} is pending deletion.`);
          return { ...key, state: action === "EnableKey" ? "Enabled" : "Disabled" };
        });
        return {};
      case "ScheduleKeyDeletion": {
        const days = input["PendingWindowInDays"] === undefined ? 30 : Number(input["PendingWindowInDays"]);
        const key = keys.scheduleDeletion(requiredString(input, "KeyId"), days);
        return { KeyId: keys.keyArn(key.keyId), DeletionDate: (key.deletionDate ?? 0) / 1000, KeyState: key.state, PendingWindowInDays: days };
      }
      case "CancelKeyDeletion": {
        const key = keys.update(requiredString(input, "KeyId"), (current) => {
          if (current.state !== "PendingDeletion") throw new KmsOperationError("KMSInvalidStateException", `${keys.keyArn(current.keyId)} is not pending deletion.`);
          const { deletionDate: _date, pendingWindowInDays: _window, ...rest } = current;
          return { ...rest, state: "Disabled" };
        });
        return { KeyId: keys.keyArn(key.keyId) };
      }
      default:
        throw new KmsOperationError("UnsupportedOperationException", `KMS action ${action || "(none)"} is not emulated by the local cloud`);
    }
  }

  private metadata(key: StoredKey): Record<string, unknown> {
    return {
      AWSAccountId: this.ctx.accountId,
      KeyId: key.keyId,
      Arn: this.keys.keyArn(key.keyId),
      CreationDate: key.creationDate / 1000,
      Enabled: key.state === "Enabled",
      Description: key.description,
      KeyUsage: "ENCRYPT_DECRYPT",
      KeyState: key.state,
      Origin: "AWS_KMS",
      KeyManager: "CUSTOMER",
      CustomerMasterKeySpec: ALGORITHM,
      KeySpec: ALGORITHM,
      EncryptionAlgorithms: [ALGORITHM],
      MultiRegion: false,
      ...(key.deletionDate === undefined ? {} : { DeletionDate: key.deletionDate / 1000, PendingDeletionWindowInDays: key.pendingWindowInDays }),
    };
  }
}

/** Rotation would happen every period from the key's creation; the next such date after now. */
function nextRotation(key: StoredKey): number {
  const period = key.rotationPeriodInDays * DAY_MS;
  return key.creationDate + (Math.floor((Date.now() - key.creationDate) / period) + 1) * period;
}
