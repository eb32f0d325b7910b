import { parseArgs } from "node:util";
import { defaultFunctionConcurrency } from "../localcloud/lambda/lambda-service.ts";
import type { BenchOptions } from "./report.ts";

export const USAGE = `Usage: npx tsx bench/run.ts [options]

Drives POST /orders at a fixed arrival rate (open loop) and reports accept latency,
pipeline completion, lost orders, queue depth, CPU and memory.

  --rate N                 orders per second (default 50)
  --duration S             seconds of load (default 20)
  --users N                bench users bench-1 … bench-N, seeded with cash (default 50)
  --sell-ratio R           share of orders that are sells of earlier buys, 0..1 (default 0.3)
  --price-source NAME      simulated | yahoo, when the bench starts the cloud (default simulated)
  --concurrency-cap N      most requests in flight; more are dropped and counted (default 256)
  --timeout MS             per-request timeout (default 10000)
  --drain-timeout S        how long to wait for accepted orders to become final (default 60)
  --assembly DIR           deploy this synthesized cloud assembly instead of synthesizing (its
                           price source is the one it was synthesized with)
  --function-concurrency N sandboxes per function, when the bench starts the cloud (default: the
                           local cloud's, one per core and at least 2)
  --endpoint URL           use a running endpoint (also BENCH_ENDPOINT) instead of starting one
  --outputs FILE           its stack outputs (default cdk-outputs.json)
  --no-ceiling             skip the bare-server ceiling run
  --accept-only            measure the accept path alone: the orders queue's consumer is paused
                           (UpdateEventSourceMapping) during the load, then resumed to drain
  --help`;

export interface ParsedArgs {
  readonly options: BenchOptions;
  readonly endpoint?: string;
  readonly assemblyDir?: string;
  readonly outputsFile: string;
  readonly help: boolean;
}

function positive(name: string, text: string, { integer = false, max = Infinity } = {}): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > max || (integer && !Number.isInteger(value))) {
    throw new RangeError(`--${name} must be a ${integer ? "whole " : ""}number above 0${max < Infinity ? ` and at most ${max}` : ""}, got "${text}"`);
  }
  return value;
}

export function parseBenchArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): ParsedArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      rate: { type: "string", default: "50" },
      duration: { type: "string", default: "20" },
      users: { type: "string", default: "50" },
      "sell-ratio": { type: "string", default: "0.3" },
      "price-source": { type: "string", default: "simulated" },
      "concurrency-cap": { type: "string", default: "256" },
      timeout: { type: "string", default: "10000" },
      "drain-timeout": { type: "string", default: "60" },
      "function-concurrency": { type: "string" },
      assembly: { type: "string" },
      endpoint: { type: "string" },
      outputs: { type: "string", default: "cdk-outputs.json" },
      "no-ceiling": { type: "boolean", default: false },
      "accept-only": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  const sellRatio = Number(values["sell-ratio"]);
  if (!(sellRatio >= 0 && sellRatio <= 1)) throw new RangeError(`--sell-ratio must be between 0 and 1, got "${values["sell-ratio"]}"`);
  const endpoint = values.endpoint ?? env.BENCH_ENDPOINT;
  return {
    options: {
      // Bounded so a typo cannot start an endless or machine-melting loop.
      rate: positive("rate", values.rate, { max: 5000 }),
      durationSeconds: positive("duration", values.duration, { max: 600 }),
      users: positive("users", values.users, { integer: true, max: 10_000 }),
      sellRatio,
      priceSource: values["price-source"],
      concurrencyCap: positive("concurrency-cap", values["concurrency-cap"], { integer: true, max: 10_000 }),
      timeoutMs: positive("timeout", values.timeout, { max: 120_000 }),
      drainTimeoutSeconds: positive("drain-timeout", values["drain-timeout"], { max: 3600 }),
      functionConcurrency: positive("function-concurrency", values["function-concurrency"] ?? String(defaultFunctionConcurrency()), { integer: true, max: 64 }),
      ceiling: !values["no-ceiling"],
      acceptOnly: values["accept-only"],
    },
    ...(endpoint ? { endpoint } : {}),
    ...(values.assembly ? { assemblyDir: values.assembly } : {}),
    outputsFile: values.outputs,
    help: values.help,
  };
}
