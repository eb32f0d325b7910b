import type { InvokeResult } from "../types.ts";
import type { SqsEventRecord } from "./sqs-event.ts";

/** What became of a batch: the records to delete, and why the others stay. */
export interface BatchOutcome {
  readonly succeeded: readonly SqsEventRecord[];
  readonly failed: readonly SqsEventRecord[];
  /** Set when the whole batch failed. */
  readonly reason?: string;
}

/**
 * One outcome for a batch that was delivered more than once: a record handled by
 * any delivery is done (that delivery would have deleted it), the rest failed.
 */
export function mergeDeliveries(records: readonly SqsEventRecord[], outcomes: readonly BatchOutcome[]): BatchOutcome {
  const done = new Set(outcomes.flatMap((outcome) => outcome.succeeded.map((record) => record.messageId)));
  const reason = outcomes.find((outcome) => outcome.reason !== undefined)?.reason;
  const succeeded = records.filter((record) => done.has(record.messageId));
  const failed = records.filter((record) => !done.has(record.messageId));
  return succeeded.length === 0 && reason !== undefined ? { succeeded, failed, reason } : { succeeded, failed };
}

const allFailed = (records: readonly SqsEventRecord[], reason: string): BatchOutcome => ({ succeeded: [], failed: records, reason });

/**
 * Reads an invocation's result as Lambda does for SQS: an error fails the whole
 * batch; with ReportBatchItemFailures the response names the failed message ids,
 * and a response that cannot be honoured (unknown or empty ids, not JSON) fails
 * the whole batch too.
 */
export function batchOutcome(records: readonly SqsEventRecord[], result: InvokeResult, reportBatchItemFailures: boolean): BatchOutcome {
  if (result.functionError) return allFailed(records, `function error (${result.functionError})`);
  if (!reportBatchItemFailures) return { succeeded: records, failed: [] };
  let response: unknown;
  try {
    response = result.payload.trim() === "" ? null : JSON.parse(result.payload);
  } catch {
    return allFailed(records, "the response is not valid JSON");
  }
  if (response === null) return { succeeded: records, failed: [] };
  if (typeof response !== "object" || Array.isArray(response)) return allFailed(records, "the response is not an object");
  const failures: unknown = (response as Record<string, unknown>)["batchItemFailures"];
  if (failures === undefined || failures === null) return { succeeded: records, failed: [] };
  if (!Array.isArray(failures)) return allFailed(records, "batchItemFailures is not a list");
  const ids = new Set(records.map((record) => record.messageId));
  const failedIds = new Set<string>();
  for (const failure of failures) {
    const id: unknown = typeof failure === "object" && failure !== null ? (failure as Record<string, unknown>)["itemIdentifier"] : undefined;
    if (typeof id !== "string" || id === "" || !ids.has(id)) {
      return allFailed(records, `batchItemFailures names an unknown item ${JSON.stringify(id ?? null)}`);
    }
    failedIds.add(id);
  }
  return {
    succeeded: records.filter((record) => !failedIds.has(record.messageId)),
    failed: records.filter((record) => failedIds.has(record.messageId)),
  };
}
