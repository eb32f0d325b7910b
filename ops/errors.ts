/** Errors the operator tools report to a person: a message, never a stack trace. */
export class OperatorToolError extends Error {
  override readonly name: string = "OperatorToolError";
}

export class UsageError extends OperatorToolError {
  override readonly name = "UsageError";
}

export class UnknownQueueError extends OperatorToolError {
  override readonly name = "UnknownQueueError";
}

export class EndpointUnreachableError extends OperatorToolError {
  override readonly name = "EndpointUnreachableError";
}

export class ConfigurationError extends OperatorToolError {
  override readonly name = "ConfigurationError";
}

export class UserNotFoundError extends OperatorToolError {
  override readonly name = "UserNotFoundError";
}

export class UserExistsError extends OperatorToolError {
  override readonly name = "UserExistsError";
}
