/** One invocation on a function's pool, framed by Lambda's START / END / REPORT lines. */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { CloudContext, FunctionConfig, InvokeResult } from "../types.ts";
import type { PlannedFault } from "./fault-injection.ts";
import { startInvocationTrace } from "../xray/invocation-trace.ts";
import type { FunctionPool } from "./function-pool.ts";
import type { InvocationOutcome } from "./function-worker.ts";
import { functionArn, LATEST_VERSION, logGroupName } from "./lambda-environment.ts";

export interface DeployedFunction {
  readonly config: FunctionConfig;
  readonly pool: FunctionPool;
  readonly lastModified: Date;
  readonly revisionId: string;
}

/** An invocation's result, with the tail of its log when it was asked for (`aws lambda invoke --log-type Tail`). */
export interface InvocationResult extends InvokeResult {
  /** Base64 of the last 4 KB of the invocation's log lines. */
  readonly logTail?: string;
}

const MEGABYTE = 1024 * 1024;
const LOG_TAIL_BYTES = 4096;

export async function runInvocation(
  ctx: CloudContext,
  fn: DeployedFunction,
  payload: string,
  options: { tailLog?: boolean; fault?: PlannedFault; traceHeader?: string } = {},
): Promise<InvocationResult> {
  const { config } = fn;
  const captured: string[] | undefined = options.tailLog === true ? [] : undefined;
  const log = (line: string, stream: string) => {
    ctx.log(config.displayName, line, stream);
    captured?.push(line);
  };
  const requestId = randomUUID();
  const metered = ctx.meter?.invocationStarted(config);
  const run = fn.pool.run(async (worker) => {
    const stream = worker.logStreamName;
    log(`START RequestId: ${requestId} Version: ${LATEST_VERSION}`, stream);
    const timeoutMs = config.timeoutSeconds * 1000;
    const started = performance.now();
    const trace = startInvocationTrace(ctx, config, options.traceHeader);
    const outcome = await worker.invoke(
      payload,
      {
        awsRequestId: requestId,
        functionName: config.functionName,
        functionVersion: LATEST_VERSION,
        invokedFunctionArn: functionArn(ctx, config.functionName),
        memoryLimitInMB: String(config.memorySizeMb),
        logGroupName: logGroupName(config.functionName),
        logStreamName: worker.logStreamName,
      },
      timeoutMs,
      captured,
      options.fault,
      trace?.header,
    );
    trace?.finish(outcome.kind === "failure");
    if (outcome.kind === "failure" && outcome.injected !== undefined) {
      const what = outcome.injected === "crash" ? "crashed the sandbox of" : "timed out";
      ctx.log("chaos", `injected fault: ${what} ${config.displayName} during request ${requestId}`);
    }
    const durationMs = performance.now() - started;
    metered?.ran(durationMs, outcome.kind === "failure", (outcome.cpuMicros ?? 0) / 1000);
    ctx.invocations?.invocationRan(config.functionName, durationMs, outcome.kind === "failure");
    log(`END RequestId: ${requestId}`, stream);
    log(reportLine(requestId, durationMs, config.memorySizeMb, outcome), stream);
    const result = toInvokeResult(outcome);
    return captured === undefined ? result : { ...result, logTail: logTail(captured) };
  });
  return metered === undefined ? run : run.finally(() => metered.settled());
}

function logTail(lines: readonly string[]): string {
  const text = Buffer.from(lines.map((line) => `${line}\n`).join(""));
  return text.subarray(Math.max(0, text.length - LOG_TAIL_BYTES)).toString("base64");
}

/**
 * Lambda's REPORT line. On a cold start, Duration leaves the init out and Init Duration
 * gives it; the billed duration covers both, as Lambda bills an on-demand function's init.
 */
function reportLine(requestId: string, durationMs: number, memorySizeMb: number, outcome: InvocationOutcome): string {
  const usedMb = outcome.heapUsedBytes === undefined ? memorySizeMb : Math.ceil(outcome.heapUsedBytes / MEGABYTE);
  const initMs = outcome.initMs;
  return (
    `REPORT RequestId: ${requestId} Duration: ${(durationMs - (initMs ?? 0)).toFixed(2)} ms Billed Duration: ${Math.ceil(durationMs)} ms ` +
    `Memory Size: ${memorySizeMb} MB Max Memory Used: ${Math.min(usedMb, memorySizeMb)} MB` +
    (initMs === undefined ? "" : ` Init Duration: ${initMs.toFixed(2)} ms`)
  );
}

function toInvokeResult(outcome: InvocationOutcome): InvokeResult {
  if (outcome.kind === "success") return { statusCode: 200, payload: outcome.payload };
  return { statusCode: 200, payload: JSON.stringify(outcome.error), functionError: "Unhandled" };
}
