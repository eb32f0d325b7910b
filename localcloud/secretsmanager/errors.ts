/** Secrets Manager errors; `code` is the `__type` Secrets Manager answers with. */

export class SecretsManagerOperationError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "SecretsManagerOperationError";
  }
}

export class SecretNotFoundError extends SecretsManagerOperationError {
  constructor(message = "Secrets Manager can't find the specified secret.") {
    super("ResourceNotFoundException", message);
    this.name = "SecretNotFoundError";
  }
}

export class SecretExistsError extends SecretsManagerOperationError {
  constructor(message: string) {
    super("ResourceExistsException", message);
    this.name = "SecretExistsError";
  }
}

/** A parameter's value is not allowed (InvalidParameterException). */
export class InvalidSecretParameterError extends SecretsManagerOperationError {
  constructor(message: string) {
    super("InvalidParameterException", message);
    this.name = "InvalidSecretParameterError";
  }
}

/** The request is fine but the secret's state forbids it (InvalidRequestException), e.g. it is scheduled for deletion. */
export class InvalidSecretRequestError extends SecretsManagerOperationError {
  constructor(message: string) {
    super("InvalidRequestException", message);
    this.name = "InvalidSecretRequestError";
  }
}
