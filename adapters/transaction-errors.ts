/** Reads which items of a cancelled DynamoDB transaction failed their condition. */
export interface CancellationReasonLike {
  readonly Code?: string;
}

/** Indexes of the items whose condition failed, or undefined if the error is not a cancelled transaction. */
export function failedConditions(error: unknown): number[] | undefined {
  if (!(error instanceof Error) || error.name !== "TransactionCanceledException") return undefined;
  const reasons = (error as { CancellationReasons?: CancellationReasonLike[] }).CancellationReasons ?? [];
  return reasons.flatMap((reason, index) => (reason.Code === "ConditionalCheckFailed" ? [index] : []));
}

/** Whether a cancelled transaction failed only because of conditions (so retrying would not help). */
export function onlyConditionsFailed(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== "TransactionCanceledException") return false;
  const reasons = (error as { CancellationReasons?: CancellationReasonLike[] }).CancellationReasons ?? [];
  return reasons.some((r) => r.Code === "ConditionalCheckFailed") && reasons.every((r) => !r.Code || r.Code === "None" || r.Code === "ConditionalCheckFailed");
}
