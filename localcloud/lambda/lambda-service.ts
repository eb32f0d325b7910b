/**
 * The local cloud's Lambda: runs each function's bundle in worker-thread
 * sandboxes and serves the Lambda REST API.
 */
import { randomUUID } from "node:crypto";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import type { CloudContext, FunctionConfig, HttpRequest, HttpResponse, InvocationType, LambdaInvoker, Service } from "../types.ts";
import { AsyncInvocationStore, type StoredInvocation } from "./async-invocation-store.ts";
import { AsyncInvocations, DEFAULT_ASYNC_RETRY_DELAYS_MS, type AsyncTracking } from "./async-invocations.ts";
import { FaultPlanner, type LambdaFaultOptions } from "./fault-injection.ts";
import { LambdaCodeStore } from "./code-store.ts";
import { FunctionNotFoundError, InvalidRequestContentError, LambdaServiceStoppedError } from "./errors.ts";
import { FunctionPool } from "./function-pool.ts";
import { FunctionWorker } from "./function-worker.ts";
import { handleLambdaApi, type LambdaApiBackend } from "./lambda-api.ts";
import type { ConfigurationPatch } from "./function-updates.ts";
import { functionArn, newLogStreamName, sandboxEnvironment } from "./lambda-environment.ts";
import { runInvocation, type DeployedFunction, type InvocationResult } from "./run-invocation.ts";

/**
 * Sandboxes per function unless told otherwise: one per core, at least two. More only add
 * cold starts, heaps and colder JIT code competing for the same cores (measured in
 * docs/benchmark.md: on two cores, 2 per function used less CPU per order than 4).
 */
export function defaultFunctionConcurrency(): number {
  return Math.max(2, availableParallelism());
}

/** Shared by every sandbox of every function (V8 keys its entries by the code's content). */
const COMPILE_CACHE_DIR = join(tmpdir(), "localcloud-lambda-compile-cache");

export interface LambdaServiceOptions {
  /** Sandboxes per function when the template reserves no concurrency. @default defaultFunctionConcurrency() */
  readonly defaultConcurrency?: number;
  /** Waits before the retries of a failed `Event` invocation. @default [1000, 2000] */
  readonly asyncRetryDelaysMs?: readonly number[];
  /** How long a warm sandbox may stay idle before it is ended. @default 300000 */
  readonly idleTimeoutMs?: number;
  /**
   * Folder where accepted `Event` invocations are kept until they succeed or are
   * dropped, so they survive a crash of the process. @default kept in memory only
   */
  readonly asyncQueueDir?: string;
  /** Chaos runs: crash or time out invocations at these rates. @default no faults */
  readonly faults?: LambdaFaultOptions;
  /** Unpacks the zips UpdateFunctionCode names. @default inline zips only, unpacked in a temporary folder */
  readonly codeStore?: LambdaCodeStore;
}

/** "name", "name:qualifier", "arn:aws:lambda:…:function:name[:qualifier]" or "account:function:name" → "name". */
export function functionNameOf(identifier: string): string {
  const marker = ":function:";
  const afterMarker = identifier.includes(marker) ? identifier.slice(identifier.indexOf(marker) + marker.length) : identifier;
  return afterMarker.split(":")[0] ?? afterMarker;
}

export class LambdaService implements Service, LambdaInvoker, LambdaApiBackend {
  private readonly functions = new Map<string, DeployedFunction>();
  /** Pools of replaced functions, whose busy sandboxes still finish their work. */
  private readonly retiredPools = new Set<FunctionPool>();
  private readonly asyncInvocations: AsyncInvocations;
  private readonly defaultConcurrency: number;
  private readonly idleTimeoutMs: number;
  private readonly store: AsyncInvocationStore | undefined;
  /** Stored invocations this service is already running, so a redeploy does not start them twice. */
  private readonly tracked = new Set<string>();
  private readonly faults: FaultPlanner | undefined;
  readonly codeStore: LambdaCodeStore;
  private stopped = false;

  constructor(
    private readonly ctx: CloudContext,
    options: LambdaServiceOptions = {},
  ) {
    this.defaultConcurrency = options.defaultConcurrency ?? defaultFunctionConcurrency();
    this.idleTimeoutMs = options.idleTimeoutMs ?? 5 * 60_000;
    this.asyncInvocations = new AsyncInvocations(options.asyncRetryDelaysMs ?? DEFAULT_ASYNC_RETRY_DELAYS_MS, ctx.log);
    this.store = options.asyncQueueDir === undefined ? undefined : new AsyncInvocationStore(options.asyncQueueDir);
    this.faults = options.faults === undefined ? undefined : new FaultPlanner(options.faults);
    this.codeStore = options.codeStore ?? new LambdaCodeStore();
  }

  /**
   * Deploys a function. One of the same name is replaced: its sandboxes finish what they
   * are running and end, and every later invocation runs the new code and configuration.
   */
  createFunction(config: FunctionConfig): void {
    const previous = this.functions.get(config.functionName);
    if (previous !== undefined) this.retire(previous);
    const pool = new FunctionPool({
      functionName: config.functionName,
      limit: config.reservedConcurrency ?? this.defaultConcurrency,
      idleTimeoutMs: this.idleTimeoutMs,
      spawn: () => this.spawnSandbox(config),
    });
    this.functions.set(config.functionName, { config, pool, lastModified: new Date(), revisionId: randomUUID() });
    this.replayStored(config);
  }

  /** Ends the function: running invocations finish, later ones get ResourceNotFoundException. */
  deleteFunction(identifier: string): void {
    const fn = this.requireFunction(identifier);
    this.functions.delete(fn.config.functionName);
    this.retire(fn);
  }

  /** New code from a folder (see LambdaCodeStore); the configuration stays. */
  updateFunctionCode(identifier: string, codeDir: string): DeployedFunction {
    const { config } = this.requireFunction(identifier);
    this.createFunction({ ...config, codeDir });
    return this.requireFunction(config.functionName);
  }

  /** Changes what the patch names; Environment replaces the variables as a whole, as in Lambda. */
  updateFunctionConfiguration(identifier: string, patch: ConfigurationPatch): DeployedFunction {
    const { config } = this.requireFunction(identifier);
    this.createFunction({ ...config, ...patch });
    return this.requireFunction(config.functionName);
  }

  listFunctions(): readonly FunctionConfig[] {
    return [...this.functions.values()].map((fn) => fn.config);
  }

  deployedFunctions(): readonly DeployedFunction[] {
    return [...this.functions.values()];
  }

  requireFunction(identifier: string): DeployedFunction {
    const name = functionNameOf(identifier);
    const fn = this.functions.get(name);
    if (fn === undefined) throw new FunctionNotFoundError(functionArn(this.ctx, name));
    return fn;
  }

  /** `tailLog` asks for the invocation's last 4 KB of log (ignored for `Event`). */
  async invoke(
    functionName: string,
    payload: string,
    options: { invocationType?: InvocationType; tailLog?: boolean; traceHeader?: string } = {},
  ): Promise<InvocationResult> {
    if (this.stopped) throw new LambdaServiceStoppedError();
    const { config } = this.requireFunction(functionName);
    const event = payload.trim() === "" ? "{}" : payload;
    assertJson(event);
    if (options.invocationType === "Event") {
      // On disk before the 202, so a crash right after it cannot lose the invocation.
      const stored = await this.store?.add(config.functionName, event);
      this.runInBackground(config, event, stored, options.traceHeader);
      return { statusCode: 202, payload: "" };
    }
    return runInvocation(this.ctx, this.requireFunction(functionName), event, { tailLog: options.tailLog, fault: this.faults?.next(), traceHeader: options.traceHeader });
  }

  handle(request: HttpRequest): Promise<HttpResponse> {
    return handleLambdaApi(this.ctx, this, request);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.asyncInvocations.stop();
    const pools = [...this.functions.values()].map((fn) => fn.pool).concat([...this.retiredPools]);
    await Promise.all(pools.map((pool) => pool.stop()));
    // Removes the code store's folder only if it is a temporary one.
    this.codeStore.dispose();
  }

  private retire(fn: DeployedFunction): void {
    const { pool } = fn;
    this.retiredPools.add(pool);
    void pool.retire();
  }

  /** The trace header is not stored: an invocation replayed after a restart starts without it. */
  private runInBackground(config: FunctionConfig, event: string, stored: StoredInvocation | undefined, traceHeader?: string): void {
    const { functionName, displayName } = config;
    // Each try looks the function up again, so a redeployed function's new code handles the retry.
    const attempt = () => runInvocation(this.ctx, this.requireFunction(functionName), event, { fault: this.faults?.next(), traceHeader });
    this.asyncInvocations.enqueue(displayName, attempt, this.tracking(stored));
  }

  private tracking(stored: StoredInvocation | undefined): AsyncTracking {
    const store = this.store;
    if (store === undefined || stored === undefined) return {};
    this.tracked.add(stored.id);
    return {
      retriesDone: stored.retriesDone,
      beforeRetry: (retriesDone) => store.update({ ...stored, retriesDone }),
      finished: async () => {
        await store.remove(stored.id);
        this.tracked.delete(stored.id);
      },
    };
  }

  /** Runs the invocations a previous process accepted for this function but did not finish. */
  private replayStored(config: FunctionConfig): void {
    if (this.store === undefined) return;
    const unreadable = (file: string, reason: string) => this.ctx.log("lambda", `Skipping unreadable stored async invocation ${file}: ${reason}`);
    const pending = this.store.pendingFor(config.functionName, unreadable).filter((stored) => !this.tracked.has(stored.id));
    if (pending.length === 0) return;
    this.ctx.log("lambda", `Replaying ${pending.length} pending async invocation(s) of ${config.displayName} kept from an earlier run`);
    for (const stored of pending) this.runInBackground(config, stored.payload, stored);
  }

  private spawnSandbox(config: FunctionConfig): FunctionWorker {
    const logStreamName = newLogStreamName();
    return new FunctionWorker({
      boot: { codeDir: config.codeDir, handler: config.handler, compileCacheDir: COMPILE_CACHE_DIR },
      env: sandboxEnvironment(this.ctx, config, logStreamName),
      logStreamName,
      memorySizeMb: config.memorySizeMb,
      log: (line) => this.ctx.log(config.displayName, line, logStreamName),
    });
  }
}

function assertJson(payload: string): void {
  try {
    JSON.parse(payload);
  } catch (error) {
    throw new InvalidRequestContentError(error instanceof Error ? error.message : String(error));
  }
}
