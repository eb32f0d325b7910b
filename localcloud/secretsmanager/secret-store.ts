/** Secrets and their versions, kept in one owner-only JSON file when given one. */
import { readJsonFile, writeJsonFile } from "../json-file.ts";

export interface SecretVersion {
  readonly versionId: string;
  readonly secretString?: string;
  /** base64 */
  readonly secretBinary?: string;
  /** AWSCURRENT, AWSPREVIOUS or the caller's own labels. */
  readonly stages: readonly string[];
  /** Milliseconds since the epoch, like every date here. */
  readonly createdDate: number;
}

export interface StoredSecret {
  readonly name: string;
  readonly arn: string;
  readonly description?: string;
  readonly kmsKeyId?: string;
  readonly tags: readonly { Key: string; Value: string }[];
  readonly createdDate: number;
  readonly lastChangedDate: number;
  readonly lastAccessedDate?: number;
  /** When DeleteSecret was called, and when the secret is then purged. */
  readonly deletedDate?: number;
  readonly deletionDate?: number;
  /** Only versions that carry a stage are kept. */
  readonly versions: readonly SecretVersion[];
  /**
   * A digest of the GenerateSecretString a template last generated the value from, so a
   * deployment with the same settings keeps the value (a value put since is kept too).
   */
  readonly generatedFrom?: string;
}

export class SecretStore {
  private readonly secrets: Map<string, StoredSecret>;

  constructor(private readonly file?: string) {
    this.secrets = new Map((file === undefined ? [] : readSecrets(file)).map((secret) => [secret.name, secret]));
  }

  /** A secret by name, ARN or ARN without its random suffix; one past its deletion date is purged. */
  find(secretId: string): StoredSecret | undefined {
    const secret = this.secrets.get(secretId) ?? [...this.secrets.values()].find((s) => s.arn === secretId || s.arn.slice(0, -7) === secretId);
    if (secret?.deletionDate === undefined || secret.deletionDate > Date.now()) return secret;
    this.remove(secret.name);
    return undefined;
  }

  all(): StoredSecret[] {
    return [...this.secrets.keys()].map((name) => this.find(name)).filter((secret): secret is StoredSecret => secret !== undefined);
  }

  put(secret: StoredSecret): StoredSecret {
    this.secrets.set(secret.name, secret);
    this.save();
    return secret;
  }

  remove(name: string): void {
    if (this.secrets.delete(name)) this.save();
  }

  private save(): void {
    // Secret values: readable by the owner only.
    if (this.file !== undefined) writeJsonFile(this.file, [...this.secrets.values()], { ownerOnly: true });
  }
}

function readSecrets(file: string): StoredSecret[] {
  const parsed = readJsonFile<unknown>(file);
  return Array.isArray(parsed) ? (parsed as StoredSecret[]) : [];
}
