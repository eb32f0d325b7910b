/**
 * What Secrets Manager does with secrets, apart from its wire format: versions moved
 * between the AWSCURRENT and AWSPREVIOUS stages, deletion with a recovery window, and
 * ARNs with AWS's six random characters. Secret values are never logged.
 */
import { randomInt, randomUUID } from "node:crypto";
import { InvalidSecretParameterError, InvalidSecretRequestError, SecretExistsError, SecretNotFoundError } from "./errors.ts";
import type { SecretStore, SecretVersion, StoredSecret } from "./secret-store.ts";

export interface SecretValue {
  readonly secretString?: string;
  /** base64 */
  readonly secretBinary?: string;
}

export interface NewSecret extends SecretValue {
  readonly name: string;
  readonly description?: string;
  readonly kmsKeyId?: string;
  readonly tags?: readonly { Key: string; Value: string }[];
  /** The first version's id (CreateSecret's ClientRequestToken). @default a UUID */
  readonly versionId?: string;
  readonly generatedFrom?: string;
}

export interface VersionOptions {
  /** PutSecretValue's ClientRequestToken. @default a UUID */
  readonly versionId?: string;
  /** @default ["AWSCURRENT"] */
  readonly stages?: readonly string[];
  readonly generatedFrom?: string;
}

const CURRENT = "AWSCURRENT";
const PREVIOUS = "AWSPREVIOUS";
const NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const SUFFIX_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const DAY_MS = 86_400_000;
const MAX_VALUE_BYTES = 65_536;

const MARKED_FOR_DELETION = "You can't perform this operation on the secret because it was marked for deletion.";

export class SecretVault {
  constructor(
    private readonly store: SecretStore,
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  create(input: NewSecret): { secret: StoredSecret; version?: SecretVersion } {
    if (!NAME.test(input.name)) throw new InvalidSecretParameterError(`Invalid name. Must be 1 to 512 characters of letters, digits and /_+=.@-, got ${JSON.stringify(input.name)}.`);
    const existing = this.store.find(input.name);
    if (existing?.deletedDate !== undefined) throw new InvalidSecretRequestError("You can't create this secret because a secret with this name is already scheduled for deletion.");
    if (existing !== undefined) throw new SecretExistsError(`The operation failed because the secret ${input.name} already exists.`);
    const now = Date.now();
    const suffix = Array.from({ length: 6 }, () => SUFFIX_CHARACTERS.charAt(randomInt(SUFFIX_CHARACTERS.length))).join("");
    const hasValue = input.secretString !== undefined || input.secretBinary !== undefined;
    const version = hasValue ? newVersion(input, input.versionId, [CURRENT], now) : undefined;
    const secret = this.store.put({
      name: input.name,
      arn: `arn:aws:secretsmanager:${this.region}:${this.accountId}:secret:${input.name}-${suffix}`,
      ...(input.description === undefined ? {} : { description: input.description }),
      ...(input.kmsKeyId === undefined ? {} : { kmsKeyId: input.kmsKeyId }),
      tags: input.tags ?? [],
      createdDate: now,
      lastChangedDate: now,
      versions: version === undefined ? [] : [version],
      ...(input.generatedFrom === undefined ? {} : { generatedFrom: input.generatedFrom }),
    });
    return { secret, ...(version === undefined ? {} : { version }) };
  }

  /** A secret, whether or not it is scheduled for deletion. */
  find(secretId: string): StoredSecret {
    const secret = this.store.find(secretId);
    if (secret === undefined) throw new SecretNotFoundError();
    return secret;
  }

  list(): StoredSecret[] {
    return this.store.all();
  }

  /** A new version that takes the stages (AWSCURRENT by default); the one it replaces as current becomes AWSPREVIOUS. */
  putValue(secretId: string, value: SecretValue, options: VersionOptions = {}): { secret: StoredSecret; version: SecretVersion } {
    const secret = this.live(secretId);
    const sameToken = options.versionId === undefined ? undefined : secret.versions.find((v) => v.versionId === options.versionId);
    if (sameToken !== undefined) {
      // A retried request with the same token and value is a no-op; another value is a conflict.
      if (sameToken.secretString === value.secretString && sameToken.secretBinary === value.secretBinary) return { secret, version: sameToken };
      throw new SecretExistsError("You can't modify an existing version, you can only create a new version.");
    }
    const stages = options.stages ?? [CURRENT];
    const now = Date.now();
    const version = newVersion(value, options.versionId, stages, now);
    const previous = stages.includes(CURRENT) ? secret.versions.find((v) => v.stages.includes(CURRENT)) : undefined;
    const versions = secret.versions
      .map((v) => {
        let kept = v.stages.filter((stage) => !stages.includes(stage));
        if (previous !== undefined) kept = kept.filter((stage) => stage !== PREVIOUS);
        if (v === previous) kept = [...kept, PREVIOUS];
        return { ...v, stages: kept };
      })
      .filter((v) => v.stages.length > 0);
    const updated = this.store.put({
      ...secret,
      versions: [...versions, version],
      lastChangedDate: now,
      ...(options.generatedFrom === undefined ? {} : { generatedFrom: options.generatedFrom }),
    });
    return { secret: updated, version };
  }

  getValue(secretId: string, options: { versionId?: string; versionStage?: string } = {}): { secret: StoredSecret; version: SecretVersion } {
    const secret = this.live(secretId);
    const stage = options.versionStage ?? (options.versionId === undefined ? CURRENT : undefined);
    const version = secret.versions.find((v) => (options.versionId === undefined || v.versionId === options.versionId) && (stage === undefined || v.stages.includes(stage)));
    if (version === undefined) {
      throw new SecretNotFoundError(`Secrets Manager can't find the specified secret value for ${options.versionId === undefined ? `staging label: ${stage}` : `VersionId: ${options.versionId}`}`);
    }
    // AWS keeps the day of the last access only; writing once a day keeps reads cheap.
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    if (secret.lastAccessedDate !== today) this.store.put({ ...secret, lastAccessedDate: today });
    return { secret, version };
  }

  update(secretId: string, changes: { description?: string; kmsKeyId?: string }): StoredSecret {
    const secret = this.live(secretId);
    return this.store.put({ ...secret, ...changes, lastChangedDate: Date.now() });
  }

  delete(secretId: string, options: { force?: boolean; recoveryWindowInDays?: number } = {}): { secret: StoredSecret; deletionDate: number } {
    if (options.force && options.recoveryWindowInDays !== undefined) {
      throw new InvalidSecretParameterError("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
    }
    const days = options.recoveryWindowInDays ?? 30;
    if (!Number.isInteger(days) || days < 7 || days > 30) throw new InvalidSecretParameterError("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
    const secret = this.find(secretId);
    const now = Date.now();
    if (options.force) {
      this.store.remove(secret.name);
      return { secret, deletionDate: now };
    }
    if (secret.deletedDate !== undefined) throw new InvalidSecretRequestError(MARKED_FOR_DELETION);
    const deletionDate = now + days * DAY_MS;
    return { secret: this.store.put({ ...secret, deletedDate: now, deletionDate }), deletionDate };
  }

  restore(secretId: string): StoredSecret {
    const { deletedDate: _deleted, deletionDate: _deletion, ...secret } = this.find(secretId);
    return this.store.put(secret);
  }

  /** A secret not scheduled for deletion; one that is refuses reads and writes, as on AWS. */
  private live(secretId: string): StoredSecret {
    const secret = this.find(secretId);
    if (secret.deletedDate !== undefined) throw new InvalidSecretRequestError(MARKED_FOR_DELETION);
    return secret;
  }
}

function newVersion(value: SecretValue, versionId: string | undefined, stages: readonly string[], now: number): SecretVersion {
  if ((value.secretString === undefined) === (value.secretBinary === undefined)) {
    throw new InvalidSecretParameterError("You must provide either SecretString or SecretBinary, but not both.");
  }
  const bytes = value.secretString !== undefined ? Buffer.byteLength(value.secretString) : Buffer.from(value.secretBinary ?? "", "base64").length;
  if (bytes > MAX_VALUE_BYTES) throw new InvalidSecretParameterError(`A secret value can hold at most ${MAX_VALUE_BYTES} bytes.`);
  if (versionId !== undefined && (versionId.length < 32 || versionId.length > 64)) {
    throw new InvalidSecretParameterError("ClientRequestToken must be 32 to 64 characters long.");
  }
  return { versionId: versionId ?? randomUUID(), ...value, stages: [...stages], createdDate: now };
}
