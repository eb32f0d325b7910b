/**
 * Waits until `${AWS_ENDPOINT_URL}/_localstack/health` answers 200 (LocalStack's
 * health path, which the local cloud also serves), so a deploy does not start
 * against an emulator that is still booting. CLI: `tsx scripts/wait-for-health.ts [timeout-seconds]`.
 */
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

export class EndpointNotHealthyError extends Error {
  override readonly name = "EndpointNotHealthyError";
}

export interface WaitOptions {
  readonly endpoint: string;
  /** @default 120_000 */
  readonly timeoutMs?: number;
  /** @default 1_000 */
  readonly intervalMs?: number;
}

/** Resolves with the number of attempts once the health path answers 200; rejects with the last answer at the deadline. */
export async function waitForHealth(options: WaitOptions): Promise<number> {
  const url = `${options.endpoint.replace(/\/+$/, "")}/_localstack/health`;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(Math.min(5_000, timeoutMs)) });
      await response.arrayBuffer();
      if (response.status === 200) return attempt;
      last = `HTTP ${response.status}`;
    } catch (error: unknown) {
      const cause = error instanceof Error ? ((error.cause as { code?: string } | undefined)?.code ?? error.message) : String(error);
      last = cause;
    }
    if (Date.now() + (options.intervalMs ?? 1_000) > deadline) {
      throw new EndpointNotHealthyError(`${url} did not answer 200 within ${Math.round(timeoutMs / 1000)} s (last: ${last}); is LocalStack up (npm run localstack:up) or the local cloud running (npm start)?`);
    }
    await sleep(options.intervalMs ?? 1_000);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const endpoint = process.env.AWS_ENDPOINT_URL ?? "http://localhost:4566";
  const timeoutMs = Number(process.argv[2] ?? 120) * 1000;
  waitForHealth({ endpoint, timeoutMs }).then(
    () => process.stdout.write(`${endpoint} is healthy\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
