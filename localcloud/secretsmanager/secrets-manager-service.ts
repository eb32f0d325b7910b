/**
 * Secrets Manager on the local cloud's endpoint (JSON 1.1, `X-Amz-Target:
 * secretsmanager.*`), and in-process for the CloudFormation engine (`vault`).
 * Secrets are kept under `<dataDir>/secretsmanager/`; rotation is not emulated.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { handleJsonRpc } from "../json-rpc.ts";
import type { CloudContext, HttpRequest, HttpResponse, Service } from "../types.ts";
import { InvalidSecretParameterError, SecretsManagerOperationError } from "./errors.ts";
import { generatePassword, passwordOptionsFrom } from "./random-password.ts";
import { SecretStore, type StoredSecret } from "./secret-store.ts";
import { SecretVault } from "./secret-vault.ts";
import { type Input, optionalString, requiredString, secretValue, tags } from "./wire.ts";

export class SecretsManagerService implements Service {
  /** The secrets, for in-process callers (the CloudFormation engine). */
  readonly vault: SecretVault;

  constructor(ctx: CloudContext, options: { reset?: boolean; inMemory?: boolean } = {}) {
    const dir = join(ctx.dataDir, "secretsmanager");
    if (options.reset && !options.inMemory) rmSync(dir, { recursive: true, force: true });
    this.vault = new SecretVault(new SecretStore(options.inMemory ? undefined : join(dir, "secrets.json")), ctx.region, ctx.accountId);
  }

  async handle(request: HttpRequest): Promise<HttpResponse> {
    return handleJsonRpc<Input>(request, "secretsmanager.", (action, input) => this.dispatch(action, input), {
      isOwnError: (error): error is SecretsManagerOperationError => error instanceof SecretsManagerOperationError,
      notAnObject: () => new InvalidSecretParameterError("The request body must be a JSON object."),
    });
  }

  async stop(): Promise<void> {}

  private dispatch(action: string, input: Input): unknown {
    const vault = this.vault;
    switch (action) {
      case "CreateSecret": {
        const description = optionalString(input, "Description");
        const kmsKeyId = optionalString(input, "KmsKeyId");
        const versionId = optionalString(input, "ClientRequestToken");
        const { secret, version } = vault.create({
          name: requiredString(input, "Name"),
          ...secretValue(input),
          ...(description === undefined ? {} : { description }),
          ...(kmsKeyId === undefined ? {} : { kmsKeyId }),
          ...(versionId === undefined ? {} : { versionId }),
          tags: tags(input),
        });
        return { ARN: secret.arn, Name: secret.name, ...(version === undefined ? {} : { VersionId: version.versionId }) };
      }
      case "GetSecretValue": {
        const versionId = optionalString(input, "VersionId");
        const versionStage = optionalString(input, "VersionStage");
        const { secret, version } = vault.getValue(requiredString(input, "SecretId"), {
          ...(versionId === undefined ? {} : { versionId }),
          ...(versionStage === undefined ? {} : { versionStage }),
        });
        return {
          ARN: secret.arn,
          Name: secret.name,
          VersionId: version.versionId,
          ...(version.secretString === undefined ? {} : { SecretString: version.secretString }),
          ...(version.secretBinary === undefined ? {} : { SecretBinary: version.secretBinary }),
          VersionStages: version.stages,
          CreatedDate: version.createdDate / 1000,
        };
      }
      case "PutSecretValue": {
        const versionId = optionalString(input, "ClientRequestToken");
        const stages = input["VersionStages"];
        if (stages !== undefined && (!Array.isArray(stages) || stages.length === 0 || stages.some((stage) => typeof stage !== "string"))) {
          throw new InvalidSecretParameterError("VersionStages must list at least one staging label.");
        }
        const { secret, version } = vault.putValue(requiredString(input, "SecretId"), secretValue(input), {
          ...(versionId === undefined ? {} : { versionId }),
          ...(stages === undefined ? {} : { stages: stages as string[] }),
        });
        return { ARN: secret.arn, Name: secret.name, VersionId: version.versionId, VersionStages: version.stages };
      }
      case "UpdateSecret": {
        const secretId = requiredString(input, "SecretId");
        const description = optionalString(input, "Description");
        const kmsKeyId = optionalString(input, "KmsKeyId");
        let secret = vault.update(secretId, { ...(description === undefined ? {} : { description }), ...(kmsKeyId === undefined ? {} : { kmsKeyId }) });
        const value = secretValue(input);
        if (value.secretString === undefined && value.secretBinary === undefined) return { ARN: secret.arn, Name: secret.name };
        const versionId = optionalString(input, "ClientRequestToken");
        const put = vault.putValue(secretId, value, versionId === undefined ? {} : { versionId });
        secret = put.secret;
        return { ARN: secret.arn, Name: secret.name, VersionId: put.version.versionId };
      }
      case "DescribeSecret":
        return this.describe(vault.find(requiredString(input, "SecretId")), "VersionIdsToStages");
      case "ListSecrets":
        return listSecrets(vault.list(), input, (secret) => this.describe(secret, "SecretVersionsToStages"));
      case "DeleteSecret": {
        const window = input["RecoveryWindowInDays"];
        if (window !== undefined && typeof window !== "number") throw new InvalidSecretParameterError("RecoveryWindowInDays must be a number.");
        const { secret, deletionDate } = vault.delete(requiredString(input, "SecretId"), {
          force: input["ForceDeleteWithoutRecovery"] === true,
          ...(window === undefined ? {} : { recoveryWindowInDays: window }),
        });
        return { ARN: secret.arn, Name: secret.name, DeletionDate: deletionDate / 1000 };
      }
      case "RestoreSecret": {
        const secret = vault.restore(requiredString(input, "SecretId"));
        return { ARN: secret.arn, Name: secret.name };
      }
      case "GetRandomPassword":
        return { RandomPassword: generatePassword(passwordOptionsFrom(input)) };
      default:
        throw new SecretsManagerOperationError("InvalidAction", `Secrets Manager action ${action || "(none)"} is not emulated by the local cloud`);
    }
  }

  /** DescribeSecret's answer, also each entry of ListSecrets (which names the version map differently). */
  private describe(secret: StoredSecret, versionsMember: string): Record<string, unknown> {
    return {
      ARN: secret.arn,
      Name: secret.name,
      ...(secret.description === undefined ? {} : { Description: secret.description }),
      ...(secret.kmsKeyId === undefined ? {} : { KmsKeyId: secret.kmsKeyId }),
      RotationEnabled: false,
      LastChangedDate: secret.lastChangedDate / 1000,
      ...(secret.lastAccessedDate === undefined ? {} : { LastAccessedDate: secret.lastAccessedDate / 1000 }),
      ...(secret.deletedDate === undefined ? {} : { DeletedDate: secret.deletedDate / 1000 }),
      Tags: secret.tags,
      [versionsMember]: Object.fromEntries(secret.versions.map((version) => [version.versionId, version.stages])),
      CreatedDate: secret.createdDate / 1000,
    };
  }
}

/**
 * ListSecrets: without IncludePlannedDeletion, secrets scheduled for deletion are left out;
 * Filters on name, description, tag-key, tag-value or all, by prefix ("!" negates);
 * NextToken is an offset.
 */
function listSecrets(secrets: readonly StoredSecret[], input: Input, shape: (secret: StoredSecret) => unknown): Record<string, unknown> {
  const filters = Array.isArray(input["Filters"]) ? (input["Filters"] as { Key?: unknown; Values?: unknown }[]) : [];
  const fields = (secret: StoredSecret, key: unknown): string[] => {
    const name = [secret.name];
    const description = secret.description === undefined ? [] : [secret.description];
    const tagKeys = secret.tags.map((tag) => tag.Key);
    const tagValues = secret.tags.map((tag) => tag.Value);
    if (key === "name") return name;
    if (key === "description") return description;
    if (key === "tag-key") return tagKeys;
    if (key === "tag-value") return tagValues;
    return [...name, ...description, ...tagKeys, ...tagValues];
  };
  const matches = (secret: StoredSecret): boolean =>
    filters.every(({ Key: key, Values: values }) => {
      const wanted = Array.isArray(values) ? values.map(String) : [];
      const candidates = fields(secret, key);
      return wanted.length === 0 || wanted.some((value) => (value.startsWith("!") ? !candidates.some((c) => c.startsWith(value.slice(1))) : candidates.some((c) => c.startsWith(value))));
    });
  const listed = secrets.filter((secret) => (input["IncludePlannedDeletion"] === true || secret.deletedDate === undefined) && matches(secret));
  listed.sort((a, b) => (input["SortOrder"] === "asc" ? a.createdDate - b.createdDate : b.createdDate - a.createdDate));
  const max = typeof input["MaxResults"] === "number" ? input["MaxResults"] : 100;
  if (!Number.isInteger(max) || max < 1 || max > 100) throw new InvalidSecretParameterError("MaxResults must be between 1 and 100.");
  const start = input["NextToken"] === undefined ? 0 : Number(input["NextToken"]);
  if (!Number.isInteger(start) || start < 0) throw new InvalidSecretParameterError("Invalid NextToken.");
  const end = start + max;
  return { SecretList: listed.slice(start, end).map(shape), ...(end < listed.length ? { NextToken: String(end) } : {}) };
}
