/**
 * One sandbox: a worker thread running a function's bundle, one invocation at a
 * time. It enforces the timeout and turns a crash into a failed invocation. As in
 * Lambda, a cold start's init (loading the bundle) has up to 10 s of its own before
 * the function's timeout starts; an init that takes longer goes on under the timeout.
 */
import { Worker } from "node:worker_threads";
import { LineSplitter } from "./line-splitter.ts";
import type { PlannedFault } from "./fault-injection.ts";
import type { InvocationContextFields, LambdaErrorPayload, WorkerBootData, WorkerMessage, WorkerReply } from "./worker-protocol.ts";

export type InvocationOutcome = (
  | { readonly kind: "success"; readonly payload: string; readonly heapUsedBytes: number; readonly cpuMicros?: number }
  | {
      readonly kind: "failure";
      readonly error: LambdaErrorPayload;
      readonly heapUsedBytes?: number;
      /** The sandbox's CPU time for the invocation, when it answered (not after a timeout or crash). */
      readonly cpuMicros?: number;
      /** Set when a chaos run's fault ended the invocation. */
      readonly injected?: PlannedFault["kind"];
    }
) & {
  /** How long the cold start's init took, when this invocation had one. */
  readonly initMs?: number;
};

export interface SandboxOptions {
  readonly boot: WorkerBootData;
  readonly env: Record<string, string>;
  readonly logStreamName: string;
  readonly memorySizeMb: number;
  /** Receives each line the function writes to stdout or stderr, and the runtime's own lines. */
  readonly log: (line: string) => void;
}

/** A bug guard: the pool hands a sandbox to one invocation at a time. */
/** The young generation of each sandbox's heap (V8's semi-spaces), in MB. */
const SANDBOX_YOUNG_GENERATION_MB = 4;

export class SandboxBusyError extends Error {
  constructor(requestId: string) {
    super(`Sandbox is busy; invocation ${requestId} must wait for its turn`);
    this.name = "SandboxBusyError";
  }
}

const WORKER_ENTRY = new URL("./worker-main.ts", import.meta.url);

/** Lambda's limit on a cold start's init phase. */
const INIT_LIMIT_MS = 10_000;

interface PendingInvocation {
  readonly requestId: string;
  readonly resolve: (outcome: InvocationOutcome) => void;
  /** The function's timeout once it runs; before that, on a cold start, the init limit. */
  timer: NodeJS.Timeout;
  readonly timeoutMs: number;
  initMs?: number;
  readonly fault?: PlannedFault;
  faultTimer?: NodeJS.Timeout;
}

export class FunctionWorker {
  readonly logStreamName: string;
  private readonly worker: Worker;
  private readonly output: LineSplitter[];
  private pending: PendingInvocation | undefined;
  /** Lines of the running invocation, kept when the caller asked for its log tail. */
  private captured: string[] | undefined;
  private alive = true;
  /** Whether the bundle has been loaded (the cold start's init is over). */
  private initialized = false;
  /** The heap size last reported, for the REPORT line of an invocation that crashed. */
  private lastHeapUsedBytes: number | undefined;
  private readonly goneListeners: Array<() => void> = [];

  constructor(private readonly options: SandboxOptions) {
    this.logStreamName = options.logStreamName;
    this.worker = new Worker(WORKER_ENTRY, {
      // No tsx loader and no host flags: the bundle sees a plain Node runtime.
      execArgv: [],
      env: options.env,
      workerData: options.boot,
      stdout: true,
      stderr: true,
      // Lambda's memory size covers the whole sandbox; here it bounds the heap, which is more lenient.
      // A small young generation: a sandbox's requests leave little alive, and V8's default let
      // each of the ~20 sandboxes hold tens of MB of it (1.42–1.47 GB RSS at 40/s against
      // 1.23–1.24 GB with 4 MB, for the same CPU per order).
      resourceLimits: { maxOldGenerationSizeMb: Math.max(options.memorySizeMb, 64), maxYoungGenerationSizeMb: SANDBOX_YOUNG_GENERATION_MB },
    });
    const stdout = new LineSplitter((line) => this.emit(line));
    const stderr = new LineSplitter((line) => this.emit(line));
    this.output = [stdout, stderr];
    this.worker.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    this.worker.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    this.worker.on("message", (message: WorkerMessage) => {
      if (message.type === "started") this.onStarted();
      else if (message.type === "initialized") this.onInitialized(message.initMs);
      else this.onReply(message);
    });
    this.worker.on("error", (error: Error) => this.onCrash(crashError(error)));
    this.worker.on("exit", (code: number) => this.onExit(code));
    this.worker.unref();
  }

  get isAlive(): boolean {
    return this.alive;
  }

  /** Called once when the sandbox is gone (crashed, timed out or terminated). */
  onGone(listener: () => void): void {
    this.goneListeners.push(listener);
  }

  /**
   * Runs one invocation; the lines it prints are also pushed to `capture` when given.
   * A planned `fault` ends it `afterMs` after the handler started, or as soon as the
   * handler finishes if that is sooner (its work is then done but its result lost).
   */
  invoke(
    payload: string,
    context: InvocationContextFields,
    timeoutMs: number,
    capture?: string[],
    fault?: PlannedFault,
    traceHeader?: string,
  ): Promise<InvocationOutcome> {
    if (!this.alive) return Promise.resolve(failure("Runtime.ExitError", `RequestId: ${context.awsRequestId} Error: Runtime exited`));
    if (this.pending !== undefined) throw new SandboxBusyError(context.awsRequestId);
    this.worker.ref();
    this.captured = capture;
    return new Promise((resolve) => {
      const timer = this.initialized ? this.functionTimer(timeoutMs) : setTimeout(() => this.startFunctionTimer(), INIT_LIMIT_MS);
      this.pending = { requestId: context.awsRequestId, resolve, timer, timeoutMs, fault };
      this.worker.postMessage({ type: "invoke", payload, context, timeoutMs, announceStart: fault !== undefined, ...(traceHeader ? { traceHeader } : {}) });
    });
  }

  async terminate(): Promise<void> {
    this.markGone();
    await this.worker.terminate();
  }

  private settle(outcome: InvocationOutcome): void {
    const pending = this.pending;
    if (pending === undefined) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    clearTimeout(pending.faultTimer);
    for (const splitter of this.output) splitter.flush();
    this.captured = undefined;
    if (this.alive) this.worker.unref();
    pending.resolve(pending.initMs === undefined ? outcome : { ...outcome, initMs: pending.initMs });
  }

  private functionTimer(timeoutMs: number): NodeJS.Timeout {
    return setTimeout(() => this.onTimeout(timeoutMs), timeoutMs);
  }

  /** The function's timeout starts: the init is over, or it ran past its own limit. */
  private startFunctionTimer(): void {
    const pending = this.pending;
    if (pending === undefined) return;
    clearTimeout(pending.timer);
    pending.timer = this.functionTimer(pending.timeoutMs);
  }

  private onInitialized(initMs: number): void {
    this.initialized = true;
    const pending = this.pending;
    if (pending === undefined) return;
    pending.initMs = initMs;
    // Past the init limit the function's timeout is already running.
    if (initMs < INIT_LIMIT_MS) this.startFunctionTimer();
  }

  private emit(line: string): void {
    this.options.log(line);
    this.captured?.push(line);
  }

  private onStarted(): void {
    const pending = this.pending;
    if (pending?.fault === undefined || pending.faultTimer !== undefined) return;
    pending.faultTimer = setTimeout(() => this.injectFault(), pending.fault.afterMs);
  }

  private onReply(reply: WorkerReply): void {
    this.lastHeapUsedBytes = reply.heapUsedBytes;
    if (this.pending?.fault !== undefined) {
      this.injectFault();
      return;
    }
    if (reply.type === "success") {
      this.settle({ kind: "success", payload: reply.payload, heapUsedBytes: reply.heapUsedBytes, cpuMicros: reply.cpuMicros });
      return;
    }
    // A sandbox whose module failed to load is not reused, as in Lambda.
    if (reply.discard) void this.terminate();
    this.settle({ kind: "failure", error: reply.error, heapUsedBytes: reply.heapUsedBytes, cpuMicros: reply.cpuMicros });
  }

  private onTimeout(timeoutMs: number): void {
    const requestId = this.pending?.requestId ?? "";
    const seconds = (timeoutMs / 1000).toFixed(2);
    this.emit(`${new Date().toISOString()} ${requestId} Task timed out after ${seconds} seconds`);
    void this.terminate();
    this.settle(failure("Sandbox.Timedout", `RequestId: ${requestId} Error: Task timed out after ${seconds} seconds`, this.lastHeapUsedBytes));
  }

  /** Ends the running invocation as the planned fault says, killing its sandbox either way. */
  private injectFault(): void {
    const pending = this.pending;
    if (pending?.fault === undefined) return;
    const { requestId, timeoutMs } = pending;
    void this.terminate();
    if (pending.fault.kind === "timeout") {
      const seconds = (timeoutMs / 1000).toFixed(2);
      this.emit(`${new Date().toISOString()} ${requestId} Task timed out after ${seconds} seconds (injected fault)`);
      const message = `RequestId: ${requestId} Error: Task timed out after ${seconds} seconds (injected fault)`;
      this.settle({ ...failure("Sandbox.Timedout", message, this.lastHeapUsedBytes), injected: "timeout" });
      return;
    }
    const message = `RequestId: ${requestId} Error: Runtime exited with error: signal: killed (injected fault)`;
    this.settle({ ...failure("Runtime.ExitError", message, this.lastHeapUsedBytes), injected: "crash" });
  }

  private onCrash(error: LambdaErrorPayload): void {
    if (this.pending === undefined) {
      this.options.log(`Sandbox crashed between invocations: ${error.errorType}: ${error.errorMessage}`);
    }
    this.markGone();
    this.settle({ kind: "failure", error, heapUsedBytes: this.lastHeapUsedBytes });
  }

  private onExit(code: number): void {
    const requestId = this.pending?.requestId ?? "";
    this.markGone();
    for (const splitter of this.output) splitter.flush();
    const reason = code === 0 ? "Runtime exited without providing a reason" : `Runtime exited with error: exit status ${code}`;
    this.settle(failure("Runtime.ExitError", `RequestId: ${requestId} Error: ${reason}`, this.lastHeapUsedBytes));
  }

  private markGone(): void {
    if (!this.alive) return;
    this.alive = false;
    for (const listener of this.goneListeners.splice(0)) listener();
  }
}

function failure(errorType: string, errorMessage: string, heapUsedBytes?: number): InvocationOutcome & { kind: "failure" } {
  return { kind: "failure", error: { errorType, errorMessage }, heapUsedBytes };
}

function crashError(error: Error): LambdaErrorPayload {
  if ((error as { code?: unknown }).code === "ERR_WORKER_OUT_OF_MEMORY") {
    return { errorType: "Runtime.OutOfMemory", errorMessage: `Error: Runtime exited with error: ${error.message}` };
  }
  return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? "").split("\n") };
}
