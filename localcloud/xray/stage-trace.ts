/**
 * The root segment API Gateway records for a request to a stage with tracing enabled
 * (origin AWS::ApiGateway::Stage); it continues a trace the client sent in X-Amzn-Trace-Id.
 */
import type { CloudContext } from "../types.ts";
import { formatTraceHeader, newSegmentId, newTraceId, parseTraceHeader } from "./trace-header.ts";

export interface StageTrace {
  /** What the integration sees in X-Amzn-Trace-Id, and the function as its caller's trace. */
  readonly header: string;
  finish(statusCode: number): void;
}

export function startStageTrace(ctx: CloudContext, name: string, clientHeader: string | undefined): StageTrace | undefined {
  const tracing = ctx.tracing;
  if (tracing === undefined) return undefined;
  const client = parseTraceHeader(clientHeader);
  const traceId = client?.traceId ?? newTraceId();
  const id = newSegmentId();
  const startTime = Date.now() / 1000;
  return {
    header: formatTraceHeader({ traceId, parentId: id, sampled: true }),
    finish(statusCode) {
      tracing.record({
        traceId,
        id,
        ...(client?.parentId ? { parentId: client.parentId } : {}),
        name,
        origin: "AWS::ApiGateway::Stage",
        startTime,
        endTime: Date.now() / 1000,
        ...(statusCode >= 400 ? { error: true } : {}),
      });
    },
  };
}
