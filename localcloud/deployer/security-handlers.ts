/**
 * Secrets Manager secrets and KMS keys and aliases, as CloudFormation makes them.
 * Creating again (an update, or the local cloud starting) keeps what exists: a
 * generated secret keeps its value unless its GenerateSecretString changed, and a key
 * keeps its material, so tokens signed and data encrypted before stay valid.
 */
import { createHash } from "node:crypto";
import { KmsNotFoundError, KmsOperationError } from "../kms/index.ts";
import { generatePassword, passwordOptionsFrom, SecretNotFoundError } from "../secretsmanager/index.ts";
import type { CreatedResource, HandlerInput, ResourceHandler } from "./resource-handlers.ts";

/** A template value that must be an object (a JSON object written inline). */
function objectProperty(properties: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const value = properties[name];
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${name} must be an object, got ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

const stableJson = (value: unknown): string =>
  JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === "object" && !Array.isArray(item) ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : item,
  );

/** GenerateSecretString's value: a password, or a JSON template with the password under GenerateStringKey. */
function generatedValue(generate: Record<string, unknown>): string {
  const template = generate["SecretStringTemplate"];
  const key = generate["GenerateStringKey"];
  if ((template === undefined) !== (key === undefined)) throw new Error("GenerateSecretString needs both SecretStringTemplate and GenerateStringKey, or neither");
  const password = generatePassword(passwordOptionsFrom(generate));
  if (template === undefined) return password;
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(template));
  } catch {
    throw new Error("SecretStringTemplate must be a JSON object");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("SecretStringTemplate must be a JSON object");
  return JSON.stringify({ ...parsed, [String(key)]: password });
}

export const createSecret: ResourceHandler = {
  async create({ properties, physicalName, targets }: HandlerInput): Promise<CreatedResource> {
    const name = (properties.Name as string | undefined) ?? physicalName(256);
    const vault = targets.secretsManager;
    if (!vault) {
      const arn = `arn:aws:secretsmanager:${targets.ctx.region}:${targets.ctx.accountId}:secret:${name}`;
      return { ref: arn, attributes: { Id: arn }, emulated: false };
    }
    const secretString = properties.SecretString === undefined ? undefined : String(properties.SecretString);
    const generate = objectProperty(properties, "GenerateSecretString");
    if (secretString !== undefined && generate !== undefined) throw new Error("SecretString and GenerateSecretString cannot both be given");
    const generatedFrom = generate === undefined ? undefined : `sha256:${createHash("sha256").update(stableJson(generate)).digest("hex")}`;
    const description = properties.Description === undefined ? undefined : String(properties.Description);
    const kmsKeyId = properties.KmsKeyId === undefined ? undefined : String(properties.KmsKeyId);
    const settings = { ...(description === undefined ? {} : { description }), ...(kmsKeyId === undefined ? {} : { kmsKeyId }) };

    const existing = findSecret(vault, name);
    if (existing === undefined) {
      const value = secretString ?? (generate === undefined ? undefined : generatedValue(generate));
      const { secret } = vault.create({
        name,
        ...settings,
        ...(value === undefined ? {} : { secretString: value }),
        ...(generatedFrom === undefined ? {} : { generatedFrom }),
        tags: Array.isArray(properties.Tags) ? (properties.Tags as { Key: string; Value: string }[]) : [],
      });
      return { ref: secret.arn, attributes: { Id: secret.arn } };
    }
    vault.update(name, settings);
    const current = existing.versions.find((version) => version.stages.includes("AWSCURRENT"));
    if (secretString !== undefined && current?.secretString !== secretString) vault.putValue(name, { secretString });
    // Only a changed GenerateSecretString makes a new value, as on AWS.
    if (generate !== undefined && existing.generatedFrom !== generatedFrom) vault.putValue(name, { secretString: generatedValue(generate) }, { ...(generatedFrom === undefined ? {} : { generatedFrom }) });
    return { ref: existing.arn, attributes: { Id: existing.arn } };
  },
  async delete({ physicalId, targets }) {
    // CloudFormation deletes a secret without a recovery window.
    try {
      targets.secretsManager?.delete(physicalId, { force: true });
    } catch (error) {
      if (!(error instanceof SecretNotFoundError)) throw error;
    }
  },
};

function findSecret(vault: NonNullable<HandlerInput["targets"]["secretsManager"]>, name: string) {
  try {
    return vault.find(name);
  } catch (error) {
    if (error instanceof SecretNotFoundError) return undefined;
    throw error;
  }
}

/** A key id (a UUID) derived from the stack and logical id, so the local cloud starting again finds the same key. */
function stableKeyId(stackName: string, logicalId: string): string {
  const hex = createHash("sha256").update(`kms-key/${stackName}/${logicalId}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${"89ab"[Number.parseInt(hex.charAt(16), 16) % 4]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const flag = (value: unknown): boolean | undefined => (value === undefined ? undefined : value === true || value === "true");

export const createKey: ResourceHandler = {
  async create({ properties, stackName, logicalId, targets }: HandlerInput): Promise<CreatedResource> {
    const keyId = stableKeyId(stackName, logicalId);
    const arn = `arn:aws:kms:${targets.ctx.region}:${targets.ctx.accountId}:key/${keyId}`;
    const attributes = { Arn: arn, KeyId: keyId };
    if (!targets.kms) return { ref: keyId, attributes, emulated: false };
    for (const [name, supported] of [["KeySpec", "SYMMETRIC_DEFAULT"], ["KeyUsage", "ENCRYPT_DECRYPT"], ["Origin", "AWS_KMS"]] as const) {
      if (properties[name] !== undefined && properties[name] !== supported) throw new Error(`${name} ${String(properties[name])} is not emulated: the local cloud makes ${supported} keys only`);
    }
    const rotationPeriod = properties.RotationPeriodInDays === undefined ? undefined : Number(properties.RotationPeriodInDays);
    const description = properties.Description === undefined ? undefined : String(properties.Description);
    targets.kms.putKey(
      {
        enabled: flag(properties.Enabled) ?? true,
        rotationEnabled: flag(properties.EnableKeyRotation) ?? false,
        ...(description === undefined ? {} : { description }),
        ...(rotationPeriod === undefined ? {} : { rotationPeriodInDays: rotationPeriod }),
      },
      keyId,
    );
    if (properties.KeyPolicy !== undefined) targets.ctx.log("deploy", `${logicalId}: key ${keyId} made; KeyPolicy accepted, not enforced`);
    return { ref: keyId, attributes };
  },
  async delete({ physicalId, properties, targets }) {
    // As on AWS, the key is scheduled for deletion: disabled at once, gone after the window.
    const days = properties.PendingWindowInDays === undefined ? 30 : Number(properties.PendingWindowInDays);
    try {
      targets.kms?.scheduleDeletion(physicalId, days);
    } catch (error) {
      const gone = error instanceof KmsNotFoundError || (error instanceof KmsOperationError && error.code === "KMSInvalidStateException");
      if (!gone) throw error;
    }
  },
};

export const createAlias: ResourceHandler = {
  async create({ properties, targets }: HandlerInput): Promise<CreatedResource> {
    const name = String(properties.AliasName ?? "");
    if (!targets.kms) return { ref: name, attributes: {}, emulated: false };
    const exists = targets.kms.aliases().some((alias) => alias.name === name);
    targets.kms.putAlias(name, String(properties.TargetKeyId ?? ""), exists);
    return { ref: name, attributes: {} };
  },
  async delete({ physicalId, targets }) {
    try {
      targets.kms?.deleteAlias(physicalId);
    } catch (error) {
      if (!(error instanceof KmsNotFoundError)) throw error;
    }
  },
};
