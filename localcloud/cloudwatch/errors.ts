/** CloudWatch's errors: the query protocol's code, and the shape name the CBOR protocol gives in `__type`. */
export class CloudWatchError extends Error {
  override readonly name: string = "CloudWatchError";

  constructor(readonly code: string, message: string, readonly shape: string = code, readonly statusCode = 400) {
    super(message);
  }
}

export class InvalidParameterValueError extends CloudWatchError {
  override readonly name = "InvalidParameterValueError";

  constructor(message: string) {
    super("InvalidParameterValue", message, "InvalidParameterValueException");
  }
}

export class MissingParameterError extends CloudWatchError {
  override readonly name = "MissingParameterError";

  constructor(message: string) {
    super("MissingParameter", message, "MissingRequiredParameterException");
  }
}

export class ResourceNotFoundError extends CloudWatchError {
  override readonly name = "ResourceNotFoundError";

  constructor(message: string, shape = "ResourceNotFound") {
    super("ResourceNotFound", message, shape, 404);
  }
}
