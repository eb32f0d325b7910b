/**
 * A function invocation's own segment (origin AWS::Lambda::Function). An invocation is
 * traced when its caller's trace is sampled, or, without a caller's trace, when the
 * function's tracing mode is Active; the sandbox then sees the segment as its Parent.
 */
import type { CloudContext, FunctionConfig } from "../types.ts";
import { formatTraceHeader, newSegmentId, newTraceId, parseTraceHeader } from "./trace-header.ts";

export interface InvocationTrace {
  /** The sandbox's `_X_AMZN_TRACE_ID`. */
  readonly header: string;
  finish(failed: boolean): void;
}

export function startInvocationTrace(ctx: CloudContext, config: FunctionConfig, callerHeader: string | undefined): InvocationTrace | undefined {
  const tracing = ctx.tracing;
  if (tracing === undefined) return undefined;
  const caller = parseTraceHeader(callerHeader);
  if (caller ? !caller.sampled : config.tracingMode !== "Active") return undefined;
  const traceId = caller?.traceId ?? newTraceId();
  const id = newSegmentId();
  const startTime = Date.now() / 1000;
  return {
    header: formatTraceHeader({ traceId, parentId: id, sampled: true }),
    finish(failed) {
      tracing.record({
        traceId,
        id,
        ...(caller?.parentId ? { parentId: caller.parentId } : {}),
        name: config.functionName,
        origin: "AWS::Lambda::Function",
        startTime,
        endTime: Date.now() / 1000,
        ...(failed ? { error: true } : {}),
      });
    },
  };
}
