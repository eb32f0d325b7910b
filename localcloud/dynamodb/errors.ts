import type { HttpResponse } from "../types.ts";
import { jsonResponse } from "./json-response.ts";

const DYNAMODB_PREFIX = "com.amazonaws.dynamodb.v20120810#";

/** An error DynamoDB reports to the client as `{__type, message}` with a 400. */
export class DynamoDbApiError extends Error {
  override readonly name: string = "DynamoDbApiError";
  constructor(
    readonly awsType: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  toResponse(): HttpResponse {
    return jsonResponse(400, { __type: this.awsType, message: this.message, ...this.extra });
  }
}

export class DynamoDbValidationError extends DynamoDbApiError {
  override readonly name = "DynamoDbValidationError";
  constructor(message: string) {
    super("com.amazon.coral.validate#ValidationException", message);
  }
}

export class ResourceNotFoundError extends DynamoDbApiError {
  override readonly name = "ResourceNotFoundError";
  constructor() {
    super(`${DYNAMODB_PREFIX}ResourceNotFoundException`, "Requested resource not found");
  }
}

/** One entry of a cancelled transaction's CancellationReasons, in item order. */
export interface CancellationReason {
  readonly Code: string;
  readonly Message?: string;
  readonly Item?: Record<string, unknown>;
}

export class TransactionCanceledError extends DynamoDbApiError {
  override readonly name = "TransactionCanceledError";
  constructor(readonly reasons: readonly CancellationReason[]) {
    super(
      `${DYNAMODB_PREFIX}TransactionCanceledException`,
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(", ")}]`,
      { CancellationReasons: reasons },
    );
  }
}

/** dynalite answered an internal call with an error; the client gets dynalite's answer as it was. */
export class UpstreamError extends Error {
  override readonly name = "UpstreamError";
  constructor(readonly response: HttpResponse, readonly awsType: string) {
    super(`dynalite answered ${response.statusCode} ${awsType}`);
  }
}
