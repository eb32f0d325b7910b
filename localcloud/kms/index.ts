export { KmsService } from "./kms-service.ts";
export { KeyRing, type KeySettings } from "./key-ring.ts";
export {
  AliasExistsError,
  DisabledKeyError,
  IncorrectKeyError,
  InvalidCiphertextError,
  KeyStateError,
  KmsNotFoundError,
  KmsOperationError,
  KmsValidationError,
} from "./errors.ts";
