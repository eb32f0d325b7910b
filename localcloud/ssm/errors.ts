/** SSM errors; `code` is the `__type` SSM answers with. */

export class SsmOperationError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "SsmOperationError";
  }
}

export class ParameterNotFoundError extends SsmOperationError {
  constructor(readonly parameterName: string) {
    super("ParameterNotFound", `Parameter ${parameterName} not found.`);
    this.name = "ParameterNotFoundError";
  }
}

export class ParameterAlreadyExistsError extends SsmOperationError {
  constructor(readonly parameterName: string) {
    super("ParameterAlreadyExists", "The parameter already exists. To overwrite this request, set the overwrite option in the request to true.");
    this.name = "ParameterAlreadyExistsError";
  }
}

export class SsmValidationError extends SsmOperationError {
  constructor(message: string) {
    super("ValidationException", message);
    this.name = "SsmValidationError";
  }
}
