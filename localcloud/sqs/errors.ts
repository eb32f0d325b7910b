/** An SQS operation answered with an error; carries what both protocols need to report it. */
export class SqsOperationError extends Error {
  override readonly name = "SqsOperationError";

  constructor(
    readonly action: string,
    readonly statusCode: number,
    /** JSON-protocol error code, e.g. "QueueDoesNotExist". */
    readonly code: string,
    /** The message as AWS words it, without the action and code. */
    readonly awsMessage: string,
    /** Query-protocol code, e.g. "AWS.SimpleQueueService.NonExistentQueue". */
    readonly queryCode: string = code,
  ) {
    super(`${action}: ${code}: ${awsMessage}`);
  }
}
