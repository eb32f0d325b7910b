import { parseArgs } from "node:util";

export const USAGE = `Usage: npx tsx chaos/run.ts [options]

Drives orders through the local cloud (run as a child process) while faults are
injected, then proves no accepted order was lost, none was filled twice and every
touched ledger balances.

  --orders N            orders to place (default 2000)
  --users N             users chaos-1 … chaos-N (default 50)
  --rate N              orders per second (default 20)
  --short               the quick version: 200 orders, 10 users, 3/s, 8 s outage,
                        calm after the kill
  --calm-after-kill     the restart after kill -9 runs without the crash, timeout
                        and duplicate faults, so the backlog settles sooner
  --outage S            seconds the price source is fully down (default 20)
  --crash-rate R        --chaos-crash-rate for the local cloud (default 0.02)
  --timeout-rate R      --chaos-timeout-rate (default 0.02)
  --duplicate-rate R    --chaos-duplicate-rate (default 0.05)
  --seed N              --chaos-seed and the order mix's seed (default 7)
  --drain-timeout S     how long to wait for orders to become final (default 240)
  --results DIR         where reports go (default chaos/results)
  --help`;

export interface ChaosOptions {
  readonly orders: number;
  readonly users: number;
  readonly rate: number;
  readonly short: boolean;
  readonly outageSeconds: number;
  readonly crashRate: number;
  readonly timeoutRate: number;
  readonly duplicateRate: number;
  /** The cloud restarted after the kill -9 runs without the crash, timeout and duplicate faults. */
  readonly calmAfterKill: boolean;
  readonly seed: number;
  readonly drainTimeoutSeconds: number;
  readonly resultsDir: string;
}

function numberFlag(name: string, text: string | undefined, fallback: number, { min = 0, max = Infinity } = {}): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) throw new RangeError(`--${name} must be a number from ${min} to ${max}, got "${text}"`);
  return value;
}

export function parseChaosArgs(argv: readonly string[]): { options: ChaosOptions; help: boolean } {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      orders: { type: "string" },
      users: { type: "string" },
      rate: { type: "string" },
      short: { type: "boolean", default: false },
      outage: { type: "string" },
      "crash-rate": { type: "string" },
      "timeout-rate": { type: "string" },
      "duplicate-rate": { type: "string" },
      "calm-after-kill": { type: "boolean", default: false },
      seed: { type: "string" },
      "drain-timeout": { type: "string" },
      results: { type: "string", default: "chaos/results" },
      help: { type: "boolean", default: false },
    },
  });
  const short = values.short;
  const options: ChaosOptions = {
    orders: Math.round(numberFlag("orders", values.orders, short ? 200 : 2000, { min: 1, max: 100_000 })),
    users: Math.round(numberFlag("users", values.users, short ? 10 : 50, { min: 1, max: 1000 })),
    rate: numberFlag("rate", values.rate, short ? 3 : 20, { min: 0.1, max: 500 }),
    short,
    outageSeconds: numberFlag("outage", values.outage, short ? 8 : 20, { max: 600 }),
    crashRate: numberFlag("crash-rate", values["crash-rate"], 0.02, { max: 1 }),
    timeoutRate: numberFlag("timeout-rate", values["timeout-rate"], 0.02, { max: 1 }),
    duplicateRate: numberFlag("duplicate-rate", values["duplicate-rate"], 0.05, { max: 1 }),
    calmAfterKill: short || values["calm-after-kill"],
    seed: Math.round(numberFlag("seed", values.seed, 7)),
    drainTimeoutSeconds: numberFlag("drain-timeout", values["drain-timeout"], 240, { min: 1, max: 1800 }),
    resultsDir: values.results,
  };
  return { options, help: values.help };
}
