/**
 * Lambda's error payload ({errorType, errorMessage, trace}) built from whatever a
 * handler threw. Loaded inside the worker too: only erasable TypeScript here.
 */
import type { LambdaErrorPayload } from "./worker-protocol.ts";

/** The bundle could not be loaded; Lambda discards such a sandbox and reports `errorType`. */
export class HandlerLoadError extends Error {
  readonly errorType: string;
  constructor(errorType: string, message: string, cause?: unknown) {
    super(message, { cause });
    this.name = "HandlerLoadError";
    this.errorType = errorType;
  }
}

function traceOf(error: Error): string[] {
  return (error.stack ?? `${error.name}: ${error.message}`).split("\n");
}

export function toLambdaError(error: unknown): LambdaErrorPayload {
  if (error instanceof HandlerLoadError) {
    const trace = error.cause instanceof Error ? traceOf(error.cause) : traceOf(error);
    return { errorType: error.errorType, errorMessage: error.message, trace };
  }
  if (error instanceof Error) return { errorType: error.name, errorMessage: error.message, trace: traceOf(error) };
  // Lambda names a non-Error rejection after its JavaScript type, e.g. "string".
  const errorMessage = typeof error === "string" ? error : JSON.stringify(error) ?? String(error);
  return { errorType: typeof error, errorMessage };
}
