/** An EventBridge call answered with an error: its JSON-protocol code and AWS's message. */
export class EventsOperationError extends Error {
  override readonly name: string = "EventsOperationError";

  constructor(readonly code: string, readonly awsMessage: string, readonly statusCode = 400) {
    super(`${code}: ${awsMessage}`);
  }
}

export const notFound = (what: string): EventsOperationError => new EventsOperationError("ResourceNotFoundException", `${what} does not exist.`);
export const invalid = (message: string): EventsOperationError => new EventsOperationError("ValidationException", message);
