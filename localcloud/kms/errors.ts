/** KMS errors; `code` is the `__type` KMS answers with. */

export class KmsOperationError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "KmsOperationError";
  }
}

export class KmsNotFoundError extends KmsOperationError {
  constructor(message: string) {
    super("NotFoundException", message);
    this.name = "KmsNotFoundError";
  }
}

export class KmsValidationError extends KmsOperationError {
  constructor(message: string) {
    super("ValidationException", message);
    this.name = "KmsValidationError";
  }
}

/** The blob is not one of ours, was altered, or its encryption context does not match. */
export class InvalidCiphertextError extends KmsOperationError {
  constructor(message = "") {
    super("InvalidCiphertextException", message);
    this.name = "InvalidCiphertextError";
  }
}

/** Decrypt named a key other than the one the blob was encrypted under. */
export class IncorrectKeyError extends KmsOperationError {
  constructor() {
    super("IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation.");
    this.name = "IncorrectKeyError";
  }
}

export class DisabledKeyError extends KmsOperationError {
  constructor(keyArn: string) {
    super("DisabledException", `${keyArn} is disabled.`);
    this.name = "DisabledKeyError";
  }
}

export class KeyStateError extends KmsOperationError {
  constructor(keyArn: string, state: string) {
    super("KMSInvalidStateException", `${keyArn} is ${state}.`);
    this.name = "KeyStateError";
  }
}

export class AliasExistsError extends KmsOperationError {
  constructor(aliasArn: string) {
    super("AlreadyExistsException", `An alias with the name ${aliasArn} already exists`);
    this.name = "AliasExistsError";
  }
}
