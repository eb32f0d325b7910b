export { SecretsManagerService } from "./secrets-manager-service.ts";
export { SecretVault, type NewSecret, type SecretValue, type VersionOptions } from "./secret-vault.ts";
export { generatePassword, passwordOptionsFrom, PUNCTUATION, type PasswordOptions } from "./random-password.ts";
export {
  InvalidSecretParameterError,
  InvalidSecretRequestError,
  SecretExistsError,
  SecretNotFoundError,
  SecretsManagerOperationError,
} from "./errors.ts";
