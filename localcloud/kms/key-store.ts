/** KMS keys (with their material) and aliases, kept in one owner-only JSON file when given one. */
import { readJsonFile, writeJsonFile } from "../json-file.ts";

export type KeyState = "Enabled" | "Disabled" | "PendingDeletion";

export interface StoredKey {
  readonly keyId: string;
  readonly description: string;
  readonly state: KeyState;
  /** Milliseconds since the epoch. */
  readonly creationDate: number;
  readonly deletionDate?: number;
  readonly pendingWindowInDays?: number;
  readonly rotationEnabled: boolean;
  readonly rotationPeriodInDays: number;
  /** 256-bit AES key, base64. */
  readonly material: string;
}

export interface StoredAlias {
  /** "alias/…" */
  readonly name: string;
  readonly targetKeyId: string;
  readonly creationDate: number;
  readonly lastUpdatedDate: number;
}

interface KeyFile {
  keys: StoredKey[];
  aliases: StoredAlias[];
}

export class KeyStore {
  private readonly keys = new Map<string, StoredKey>();
  private readonly aliases = new Map<string, StoredAlias>();

  constructor(private readonly file?: string) {
    const saved = file === undefined ? undefined : readKeyFile(file);
    for (const key of saved?.keys ?? []) this.keys.set(key.keyId, key);
    for (const alias of saved?.aliases ?? []) this.aliases.set(alias.name, alias);
  }

  /** A key whose deletion date has passed is gone, with its aliases, as on AWS. */
  key(keyId: string): StoredKey | undefined {
    const key = this.keys.get(keyId);
    if (key?.state !== "PendingDeletion" || (key.deletionDate ?? Infinity) > Date.now()) return key;
    this.keys.delete(keyId);
    for (const alias of this.aliases.values()) if (alias.targetKeyId === keyId) this.aliases.delete(alias.name);
    this.save();
    return undefined;
  }

  allKeys(): StoredKey[] {
    return [...this.keys.keys()].map((id) => this.key(id)).filter((key): key is StoredKey => key !== undefined).sort((a, b) => a.creationDate - b.creationDate);
  }

  putKey(key: StoredKey): StoredKey {
    this.keys.set(key.keyId, key);
    this.save();
    return key;
  }

  alias(name: string): StoredAlias | undefined {
    const alias = this.aliases.get(name);
    return alias !== undefined && this.key(alias.targetKeyId) !== undefined ? alias : undefined;
  }

  allAliases(): StoredAlias[] {
    return [...this.aliases.keys()].map((name) => this.alias(name)).filter((alias): alias is StoredAlias => alias !== undefined).sort((a, b) => a.name.localeCompare(b.name));
  }

  putAlias(alias: StoredAlias): void {
    this.aliases.set(alias.name, alias);
    this.save();
  }

  deleteAlias(name: string): boolean {
    const existed = this.aliases.delete(name);
    if (existed) this.save();
    return existed;
  }

  private save(): void {
    if (this.file === undefined) return;
    const contents: KeyFile = { keys: [...this.keys.values()], aliases: [...this.aliases.values()] };
    // Key material: readable by the owner only.
    writeJsonFile(this.file, contents, { ownerOnly: true });
  }
}

function readKeyFile(file: string): KeyFile | undefined {
  return readJsonFile<KeyFile>(file);
}
