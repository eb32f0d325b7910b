/**
 * What KMS does with keys, apart from its wire format: keys named by id, key ARN,
 * alias or alias ARN; encryption under a key's material; aliases; scheduled deletion.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { blobKeyId, type EncryptionContext, openBlob, sealBlob } from "./ciphertext.ts";
import { AliasExistsError, DisabledKeyError, IncorrectKeyError, KeyStateError, KmsNotFoundError, KmsOperationError, KmsValidationError } from "./errors.ts";
import type { KeyStore, StoredAlias, StoredKey } from "./key-store.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DAY_MS = 86_400_000;

export interface KeySettings {
  readonly description?: string;
  /** @default true */
  readonly enabled?: boolean;
  /** @default false */
  readonly rotationEnabled?: boolean;
  /** @default 365 */
  readonly rotationPeriodInDays?: number;
}

export class KeyRing {
  constructor(
    private readonly store: KeyStore,
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  keyArn(keyId: string): string {
    return `arn:aws:kms:${this.region}:${this.accountId}:key/${keyId}`;
  }

  aliasArn(name: string): string {
    return `arn:aws:kms:${this.region}:${this.accountId}:${name}`;
  }

  keys(): StoredKey[] {
    return this.store.allKeys();
  }

  aliases(): StoredAlias[] {
    return this.store.allAliases();
  }

  /**
   * A new key with fresh material; with `keyId`, the key of that id keeps its material
   * and takes the settings (how CloudFormation's stable ids find their key again).
   * A key of that id pending deletion is replaced, as AWS would make a new key.
   */
  putKey(settings: KeySettings, keyId: string = randomUUID()): StoredKey {
    if (!UUID.test(keyId)) throw new KmsValidationError(`Invalid keyId ${keyId}`);
    const existing = this.store.key(keyId);
    const current = existing?.state === "PendingDeletion" ? undefined : existing;
    const enabled = settings.enabled ?? (current === undefined || current.state === "Enabled");
    return this.store.putKey({
      keyId,
      description: settings.description ?? current?.description ?? "",
      state: enabled ? "Enabled" : "Disabled",
      creationDate: current?.creationDate ?? Date.now(),
      rotationEnabled: settings.rotationEnabled ?? current?.rotationEnabled ?? false,
      rotationPeriodInDays: settings.rotationPeriodInDays ?? current?.rotationPeriodInDays ?? 365,
      material: current?.material ?? randomBytes(32).toString("base64"),
    });
  }

  /** The key a reference names: its id, its ARN, an alias name or an alias ARN. */
  resolve(reference: string): StoredKey {
    const aliasName = reference.startsWith("alias/") ? reference : reference.match(/^arn:aws:kms:([^:]+):(\d+):(alias\/.+)$/)?.[3];
    if (aliasName !== undefined) {
      const alias = this.store.alias(aliasName);
      if (alias === undefined || !this.sameScope(reference)) throw new KmsNotFoundError(`Alias ${this.aliasArn(aliasName)} is not found.`);
      return this.resolve(alias.targetKeyId);
    }
    const keyId = reference.match(/^arn:aws:kms:[^:]+:\d+:key\/(.+)$/)?.[1] ?? reference;
    if (!UUID.test(keyId)) throw new KmsNotFoundError(`Invalid keyId ${reference}`);
    const key = this.store.key(keyId);
    if (key === undefined || !this.sameScope(reference)) throw new KmsNotFoundError(`Key '${this.keyArn(keyId)}' does not exist`);
    return key;
  }

  update(reference: string, change: (key: StoredKey) => StoredKey): StoredKey {
    return this.store.putKey(change(this.resolve(reference)));
  }

  scheduleDeletion(reference: string, pendingWindowInDays = 30): StoredKey {
    if (!Number.isInteger(pendingWindowInDays) || pendingWindowInDays < 7 || pendingWindowInDays > 30) {
      throw new KmsValidationError(`1 validation error detected: Value '${pendingWindowInDays}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30`);
    }
    const key = this.resolve(reference);
    if (key.state === "PendingDeletion") throw new KeyStateError(this.keyArn(key.keyId), "pending deletion");
    return this.store.putKey({ ...key, state: "PendingDeletion", deletionDate: Date.now() + pendingWindowInDays * DAY_MS, pendingWindowInDays });
  }

  encrypt(reference: string, plaintext: Buffer, context: EncryptionContext): { blob: Buffer; key: StoredKey } {
    const key = this.usable(reference);
    return { blob: sealBlob(key.keyId, Buffer.from(key.material, "base64"), plaintext, context), key };
  }

  /** The blob names its key; a `reference` given too must name the same key. */
  decrypt(blob: Buffer, context: EncryptionContext, reference?: string): { plaintext: Buffer; key: StoredKey } {
    const blobKey = blobKeyId(blob);
    if (reference !== undefined && this.resolve(reference).keyId !== blobKey) throw new IncorrectKeyError();
    const key = this.usable(blobKey);
    return { plaintext: openBlob(blob, Buffer.from(key.material, "base64"), context), key };
  }

  /** Creates the alias, or points an existing one at another key (`replace`). */
  putAlias(name: string, targetReference: string, replace: boolean): StoredAlias {
    if (!/^alias\/[a-zA-Z0-9/_-]+$/.test(name) || name.length > 256) throw new KmsOperationError("ValidationException", `Alias must start with the prefix "alias/" and contain only letters, digits, /, _ and -: ${name}`);
    if (name.startsWith("alias/aws/")) throw new KmsOperationError("NotAuthorizedException", "Cannot create alias with prefix 'alias/aws/'");
    if (targetReference.startsWith("alias/") || targetReference.includes(":alias/")) throw new KmsValidationError("Aliases must refer to keys. Not aliases");
    const target = this.resolve(targetReference);
    const existing = this.store.alias(name);
    if (existing !== undefined && !replace) throw new AliasExistsError(this.aliasArn(name));
    if (existing === undefined && replace) throw new KmsNotFoundError(`Alias ${this.aliasArn(name)} is not found.`);
    const now = Date.now();
    const alias = { name, targetKeyId: target.keyId, creationDate: existing?.creationDate ?? now, lastUpdatedDate: now };
    this.store.putAlias(alias);
    return alias;
  }

  deleteAlias(name: string): void {
    if (this.store.alias(name) === undefined || !this.store.deleteAlias(name)) throw new KmsNotFoundError(`Alias ${this.aliasArn(name)} is not found.`);
  }

  private usable(reference: string): StoredKey {
    const key = this.resolve(reference);
    if (key.state === "Disabled") throw new DisabledKeyError(this.keyArn(key.keyId));
    if (key.state === "PendingDeletion") throw new KeyStateError(this.keyArn(key.keyId), "pending deletion");
    return key;
  }

  /** An ARN of another region or account names nothing here. */
  private sameScope(reference: string): boolean {
    return !reference.startsWith("arn:") || reference.startsWith(`arn:aws:kms:${this.region}:${this.accountId}:`);
  }
}
