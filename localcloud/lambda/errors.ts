/** Errors of the Lambda service; `errorType` is what the Lambda API reports in `x-amzn-ErrorType`. */

export abstract class LambdaApiError extends Error {
  abstract readonly errorType: string;
  abstract readonly statusCode: number;
}

export class FunctionNotFoundError extends LambdaApiError {
  readonly errorType = "ResourceNotFoundException";
  readonly statusCode = 404;
  constructor(readonly functionArn: string) {
    super(`Function not found: ${functionArn}`);
    this.name = "FunctionNotFoundError";
  }
}

export class InvalidRequestContentError extends LambdaApiError {
  readonly errorType = "InvalidRequestContentException";
  readonly statusCode = 400;
  constructor(detail: string) {
    super(`Could not parse request body into json: ${detail}`);
    this.name = "InvalidRequestContentError";
  }
}

export class UnknownOperationError extends LambdaApiError {
  readonly errorType = "UnknownOperationException";
  readonly statusCode = 404;
  constructor(method: string, path: string) {
    super(`The local cloud's Lambda API does not support ${method} ${path}`);
    this.name = "UnknownOperationError";
  }
}

export class LambdaServiceStoppedError extends LambdaApiError {
  readonly errorType = "ServiceException";
  readonly statusCode = 500;
  constructor() {
    super("The Lambda service has stopped");
    this.name = "LambdaServiceStoppedError";
  }
}

export class InvalidParameterValueError extends LambdaApiError {
  readonly errorType = "InvalidParameterValueException";
  readonly statusCode = 400;
  constructor(message: string) {
    super(message);
    this.name = "InvalidParameterValueError";
  }
}

export class EventSourceMappingNotFoundError extends LambdaApiError {
  readonly errorType = "ResourceNotFoundException";
  readonly statusCode = 404;
  constructor(uuid: string) {
    super(`The resource you requested does not exist. (Event source mapping ${uuid})`);
    this.name = "EventSourceMappingNotFoundError";
  }
}
