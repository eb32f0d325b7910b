/**
 * A function invocation's own segment (origin AWS::Lambda::Function). The caller's sampling
 * decision is kept; without one, an Active function samples by the cloud's rule. A traced
 * invocation's sandbox sees the segment as its Parent; an untraced one still gets a header,
 * with Sampled=0, so the X-Ray SDK in it records nothing (as on AWS).
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
  const active = config.tracingMode === "Active";
  if (caller === undefined && !active) return undefined;
  const sampled = caller?.sampled ?? (active && tracing.sample(config.functionName));
  const traceId = caller?.traceId ?? newTraceId();
  if (!sampled) return { header: formatTraceHeader({ traceId, parentId: caller?.parentId ?? newSegmentId(), sampled: false }), finish: () => {} };
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
