/**
 * The root segment API Gateway records for a request to a stage with tracing enabled
 * (origin AWS::ApiGateway::Stage). It continues a trace the client sent in X-Amzn-Trace-Id,
 * keeping the client's sampling decision; without one, the stage samples by the cloud's rule.
 */
import type { CloudContext } from "../types.ts";
import { formatTraceHeader, newSegmentId, newTraceId, parseTraceHeader } from "./trace-header.ts";

export interface StageTrace {
  /** What the integration sees in X-Amzn-Trace-Id, and the function as its caller's trace. */
  readonly header: string;
  finish(statusCode: number): void;
}

export function startStageTrace(ctx: CloudContext, stage: string, name: string, clientHeader: string | undefined): StageTrace | undefined {
  const tracing = ctx.tracing;
  if (tracing === undefined) return undefined;
  const client = parseTraceHeader(clientHeader);
  const traceId = client?.traceId ?? newTraceId();
  const id = newSegmentId();
  const sampled = client?.sampled ?? tracing.sample(stage);
  if (!sampled) return { header: formatTraceHeader({ traceId, parentId: id, sampled: false }), finish: () => {} };
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
