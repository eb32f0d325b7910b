/**
 * Runs inside a function's worker thread: loads the bundle once (so module state
 * survives between invocations, as in a warm Lambda sandbox) and calls the handler
 * for each invoke message. Loaded by Node's own type stripping, without tsx, so
 * the bundle sees plain Node: only erasable TypeScript syntax belongs here.
 */
import { enableCompileCache } from "node:module";
import { parentPort, workerData } from "node:worker_threads";
import { getHeapStatistics } from "node:v8";
import { loadHandler, type LambdaHandler } from "./handler-loader.ts";
import { toLambdaError, HandlerLoadError } from "./lambda-error.ts";
import type { InvokeMessage, WorkerBootData, WorkerReply, InvocationContextFields } from "./worker-protocol.ts";

const boot = workerData as WorkerBootData;
const port = parentPort;
if (port === null) throw new Error("worker-main must run in a worker thread");
// A cold start's cost is mostly compiling the bundle; the cache is keyed by file content.
if (boot.compileCacheDir !== undefined) enableCompileCache(boot.compileCacheDir);

// Lambda's Node runtime turns an unhandled rejection into a crash of the sandbox.
process.on("unhandledRejection", (reason: unknown) => {
  const detail = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
  const crash = new Error(detail);
  crash.name = "Runtime.UnhandledPromiseRejection";
  // Point the trace at the code that rejected, not at this listener.
  const origin = reason instanceof Error ? reason.stack?.split("\n").slice(1) : undefined;
  if (origin !== undefined) crash.stack = [`${crash.name}: ${detail}`, ...origin].join("\n");
  throw crash;
});

let handlerPromise: Promise<LambdaHandler> | undefined;

function makeContext(fields: InvocationContextFields, deadlineMs: number, settle: (error: unknown, result?: unknown) => void) {
  return {
    awsRequestId: fields.awsRequestId,
    functionName: fields.functionName,
    functionVersion: fields.functionVersion,
    invokedFunctionArn: fields.invokedFunctionArn,
    memoryLimitInMB: fields.memoryLimitInMB,
    logGroupName: fields.logGroupName,
    logStreamName: fields.logStreamName,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
    // The legacy context methods some older handlers still call.
    done: (error?: unknown, result?: unknown) => settle(error, result),
    succeed: (result?: unknown) => settle(undefined, result),
    fail: (error: unknown) => settle(error ?? new Error("handled")),
  };
}

/** Supports async handlers and callback-style ones. */
function callHandler(handler: LambdaHandler, event: unknown, fields: InvocationContextFields, deadlineMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error: unknown, result?: unknown): void => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) reject(error);
      else resolve(result);
    };
    try {
      const returned: unknown = handler(event, makeContext(fields, deadlineMs, settle), settle);
      if (isThenable(returned)) returned.then((result) => settle(undefined, result), (error: unknown) => settle(error ?? new Error("Promise rejected")));
      else if (handler.length < 3) settle(undefined, returned);
    } catch (error) {
      settle(error);
    }
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/** Resolves once the parent has received everything written so far, so its END line follows the handler's logs. */
function flushOutput(): Promise<void> {
  const flushOne = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write("", () => resolve()));
  return Promise.all([flushOne(process.stdout), flushOne(process.stderr)]).then(() => undefined);
}

/** CPU time of this thread so far, in microseconds. */
function threadCpuMicros(): number {
  const { user, system } = process.threadCpuUsage();
  return user + system;
}

/** A reply before its CPU time is known. */
type Unmetered<T> = T extends unknown ? Omit<T, "cpuMicros"> : never;

async function runInvocation(message: InvokeMessage): Promise<Unmetered<WorkerReply>> {
  try {
    if (handlerPromise === undefined) {
      // The cold start's init. Lambda starts the function's timeout once it is over, so
      // the service is told when (whether the bundle loaded or not).
      const initStart = performance.now();
      handlerPromise = loadHandler(boot.codeDir, boot.handler);
      await handlerPromise.finally(() => port?.postMessage({ type: "initialized", initMs: performance.now() - initStart }));
    }
    const handler = await handlerPromise;
    // Lambda sets the trace of each invocation in the environment, where the X-Ray SDK reads it.
    if (message.traceHeader === undefined) delete process.env._X_AMZN_TRACE_ID;
    else process.env._X_AMZN_TRACE_ID = message.traceHeader;
    if (message.announceStart === true) port?.postMessage({ type: "started" });
    const result = await callHandler(handler, JSON.parse(message.payload), message.context, Date.now() + message.timeoutMs);
    return { type: "success", payload: JSON.stringify(result) ?? "null", heapUsedBytes: heapBytes() };
  } catch (error) {
    return { type: "failure", error: toLambdaError(error), heapUsedBytes: heapBytes(), discard: error instanceof HandlerLoadError };
  }
}

function heapBytes(): number {
  return getHeapStatistics().total_heap_size;
}

port.on("message", (message: InvokeMessage) => {
  const cpuAtStart = threadCpuMicros();
  void runInvocation(message).then(async (reply) => {
    await flushOutput();
    port.postMessage({ ...reply, cpuMicros: threadCpuMicros() - cpuAtStart });
  });
});
