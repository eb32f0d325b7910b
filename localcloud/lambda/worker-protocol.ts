/**
 * Messages between the Lambda service and a function's worker thread. Types only,
 * so the worker (loaded with Node's own type stripping) can import them.
 */

/** What `context` needs that only the service knows. */
export interface InvocationContextFields {
  readonly awsRequestId: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
}

export interface InvokeMessage {
  readonly type: "invoke";
  /** The event as JSON text. */
  readonly payload: string;
  readonly context: InvocationContextFields;
  /** The function's timeout; the deadline the handler sees counts from when it is called. */
  readonly timeoutMs: number;
  /** Ask the worker to say "started" just before it calls the handler (used to time injected faults). */
  readonly announceStart?: boolean;
  /** The invocation's `_X_AMZN_TRACE_ID`, when it is traced. */
  readonly traceHeader?: string;
}

/** Sent, when asked for, right before the handler is called. */
export interface WorkerStarted {
  readonly type: "started";
}

/** Sent once, when the cold start's init (loading the bundle) has finished, well or not. */
export interface WorkerInitialized {
  readonly type: "initialized";
  readonly initMs: number;
}

/** Lambda's error shape, as it appears in a failed invocation's payload. */
export interface LambdaErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

/** Both replies carry `cpuMicros`: the sandbox thread's CPU time for the invocation (init included on a cold start). */
export type WorkerReply =
  | { readonly type: "success"; readonly payload: string; readonly heapUsedBytes: number; readonly cpuMicros: number }
  | {
      readonly type: "failure";
      readonly error: LambdaErrorPayload;
      readonly heapUsedBytes: number;
      readonly cpuMicros: number;
      /** The sandbox cannot be reused (the module failed to load), as Lambda discards it. */
      readonly discard: boolean;
    };

export type WorkerMessage = WorkerReply | WorkerStarted | WorkerInitialized;

/** Given to the worker at start (`workerData`). */
export interface WorkerBootData {
  readonly codeDir: string;
  /** "file.export", e.g. "index.handler". */
  readonly handler: string;
  /**
   * Where V8 keeps the code it compiled from the bundle (Node's module compile cache),
   * so the sandboxes after the first load the bundle without compiling it again.
   */
  readonly compileCacheDir?: string;
}
