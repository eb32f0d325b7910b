/**
 * `npm run bench`: an open-loop load benchmark of POST /orders and the pipeline behind it.
 * See docs/benchmark.md for what it measures and the numbers it gave.
 */
import { cpus } from "node:os";
import { acceptPathResult } from "./accept-path.ts";
import { parseBenchArgs, USAGE } from "./args.ts";
import { benchClients } from "./aws.ts";
import { startBareServer } from "./ceiling.ts";
import { jsonPoster, type Post, type PostOutcome } from "./http-post.ts";
import { runOpenLoop, type OpenLoopRun } from "./open-loop.ts";
import { benchUserId, orderMix, type OrderBody } from "./order-mix.ts";
import { pipelineResult } from "./pipeline.ts";
import { ordersPlacedSince, waitUntilFinal } from "./readback.ts";
import { ratio, renderMarkdown, resourceSummary, type BenchOptions, type BenchReport } from "./report.ts";
import { writeResults } from "./results.ts";
import { queueDepth, startSampler, type Sampler } from "./sampler.ts";
import { seedBenchUsers } from "./seed.ts";
import { externalTarget, inProcessTarget, type BenchTarget } from "./target.ts";
import { fetchUsage, readPrices, usageReport, type UsageOutcome } from "./usage.ts";
import { cpuPerOrder, type CpuPerOrder } from "./cpu.ts";
import { endpointProbe, selfProbe, type ProcessReading } from "./process-probe.ts";
import type { UsageSnapshot } from "../localcloud/metering/usage.ts";
import { KmsFieldCipher } from "../adapters/kms-field-cipher.ts";
import { apiKeyValue } from "../ops/demo-credentials.ts";
import { authorizerCost, type AuthorizerCost } from "./authorizer-cost.ts";
import { runPassword } from "./load-users.ts";
import { authorizedPost, sessionTokens, type SessionTokens } from "./session-tokens.ts";
import { pauseQueueConsumer, type PausedConsumer } from "./pause-consumer.ts";

/** The access key the bench signs its own calls with, so the meter can leave them out. */
const BENCH_CALLER = "bench";

const say = (line: string): void => void process.stderr.write(`bench: ${line}\n`);

/** One open-loop pass; `sender` makes the i-th request with the pass's poster. Waits for every answer (each is bounded by the timeout). */
async function drive(options: BenchOptions, sender: (post: Post) => (i: number) => Promise<PostOutcome>): Promise<OpenLoopRun<PostOutcome>> {
  const poster = jsonPoster({ maxSockets: options.concurrencyCap, timeoutMs: options.timeoutMs });
  try {
    const run = await runOpenLoop({ rate: options.rate, durationSeconds: options.durationSeconds, concurrencyCap: options.concurrencyCap }, sender(poster.post));
    await run.settled;
    return run;
  } finally {
    poster.close();
  }
}

/** Waits until a sample taken after `afterMs` shows an empty orders queue, or the deadline. */
async function waitForEmptyQueue(sampler: Sampler, afterMs: number, deadlineMs: number): Promise<void> {
  while (performance.now() < deadlineMs) {
    if (sampler.samples.some((s) => s.atMs > afterMs && s.queues.orders === 0)) return;
    await new Promise((done) => setTimeout(done, 500));
  }
}

/**
 * Waits (at most 30 s) until no Lambda invocation is running and the queues are empty,
 * twice in a row half a second apart: the work an order started is then done.
 */
async function settleCloud(endpoint: string, sqs: Parameters<typeof queueDepth>[0], queueUrls: readonly string[]): Promise<void> {
  const deadline = performance.now() + 30_000;
  let quiet = 0;
  while (quiet < 2 && performance.now() < deadline) {
    await new Promise((done) => setTimeout(done, 500));
    const usage = await fetchUsage(endpoint);
    const depths = await Promise.all(queueUrls.map((url) => queueDepth(sqs, url)));
    quiet = usage?.inFlight.lambdaInvocations === 0 && depths.every((depth) => depth === 0) ? quiet + 1 : 0;
  }
}

/** Signs every bench user in before the load, four at a time (each sign-in is an scrypt in the API). */
async function signInAll(tokens: SessionTokens, users: number): Promise<void> {
  for (let n = 1; n <= users; n += 4) {
    await Promise.all(Array.from({ length: Math.min(4, users - n + 1) }, (_, k) => tokens.token(benchUserId(n + k))));
  }
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2), process.env);
  if (args.help) return void console.log(USAGE);
  const { options } = args;

  let ceiling: ReturnType<typeof acceptPathResult> | undefined;
  if (options.ceiling) {
    // Before the cloud starts, so the two never compete for the cores.
    say(`ceiling: bare Node server, ${options.rate}/s for ${options.durationSeconds} s`);
    const bare = await startBareServer();
    const run = await drive(options, (post) => () => post(bare.url, { userId: "ceiling", ticker: "PETR4", quantity: 1, side: "BUY" }));
    await bare.close();
    ceiling = acceptPathResult(run.attempts, run.startMs, options.durationSeconds);
  }

  const functionErrors: Record<string, number> = {};
  const countErrors = (source: string, line: string): void => {
    if (/"level":"(ERROR|CRITICAL)"|\bERROR\b/.test(line)) functionErrors[source] = (functionErrors[source] ?? 0) + 1;
  };
  say(args.endpoint ? `using ${args.endpoint} (${args.outputsFile})` : `synthesizing and starting the local cloud in this process (price source ${options.priceSource})`);
  const target: BenchTarget = args.endpoint
    ? externalTarget(args.endpoint, args.outputsFile)
    : await inProcessTarget({ priceSource: options.priceSource, functionConcurrency: options.functionConcurrency, ...(args.assemblyDir ? { assemblyDir: args.assemblyDir } : {}), log: countErrors });
  // A local cloud meters the calls made; LocalStack and AWS have no such endpoint.
  const metered = (await fetchUsage(target.endpoint)) !== undefined;
  const clients = benchClients(target.endpoint, metered ? BENCH_CALLER : undefined);
  const signInPoster = jsonPoster({ maxSockets: 4, timeoutMs: 30_000 });
  let paused: PausedConsumer | undefined;
  try {
    const { UsersTableName, TransactionsTableName, ApiUrl, OrdersQueueUrl, PushQueueUrl, EmailQueueUrl, LoadTestApiKeyId, PersonalDataKeyArn } = target.outputs;
    if (!UsersTableName || !TransactionsTableName || !ApiUrl || !OrdersQueueUrl) throw new Error("stack outputs lack a table, queue or API URL");
    if (!LoadTestApiKeyId || !PersonalDataKeyArn) throw new Error("stack outputs lack LoadTestApiKeyId or PersonalDataKeyArn: deploy the stack again");
    const password = runPassword();
    const cipher = new KmsFieldCipher(PersonalDataKeyArn, clients.kms);
    const seeded = await seedBenchUsers({ client: clients.dynamo, usersTable: UsersTableName, cipher }, options.users, password);
    say(`users: ${seeded.created} created, ${seeded.existing} already there`);
    const apiRoot = ApiUrl.endsWith("/") ? ApiUrl : `${ApiUrl}/`;
    const ordersUrl = new URL("orders", apiRoot).toString();
    // The load-test usage plan's key: the clients' plan would throttle the load at 1.67/s.
    const apiKey = await apiKeyValue(clients.apigateway, LoadTestApiKeyId);
    const tokens = sessionTokens({ sessionsUrl: new URL("sessions", apiRoot).toString(), apiKey, password, post: signInPoster.post });
    await signInAll(tokens, options.users);
    const signInsBeforeLoad = tokens.signIns;
    say(`signed in ${options.users} users`);
    const placeOrder = (post: Post) => {
      const authorized = authorizedPost(tokens, apiKey, post);
      return (body: OrderBody) => authorized(ordersUrl, body.userId, body);
    };

    // Warm up: one order per function instance, so cold starts are not billed to the first second.
    const warm = jsonPoster({ maxSockets: 8, timeoutMs: 30_000 });
    const warmOrder = placeOrder(warm.post);
    await Promise.all(Array.from({ length: 8 }, (_, i) => warmOrder({ userId: benchUserId((i % options.users) + 1), ticker: "PETR4", quantity: 1, side: "BUY" })));
    warm.close();

    const queues = Object.fromEntries(Object.entries({ orders: OrdersQueueUrl, push: PushQueueUrl, email: EmailQueueUrl }).filter(([, url]) => url)) as Record<string, string>;
    // The usage window opens once the warm-up's orders have gone through, so only the load's orders are in it.
    const settle = () => settleCloud(target.endpoint, clients.sqs, Object.values(queues));
    const probe = target.kind === "in-process" ? selfProbe() : endpointProbe(target.endpoint);
    say(probe ? `measuring the CPU and memory of ${probe.label}` : `the CPU and memory of ${target.endpoint} cannot be read from here`);
    let usageBefore: UsageSnapshot | undefined;
    let cpuBefore: ProcessReading | undefined;
    if (metered) {
      await settle();
      usageBefore = await fetchUsage(target.endpoint);
      cpuBefore = probe?.read();
    }
    if (options.acceptOnly) {
      paused = await pauseQueueConsumer(clients, OrdersQueueUrl);
      say(`accept path alone: the orders queue's consumer is paused (${paused.uuids.length} mapping) until the load ends`);
    }
    const sampler = startSampler({ sqs: clients.sqs, queues, ...(probe ? { probe } : {}) });
    const startedAt = new Date().toISOString();
    say(`load: ${options.rate}/s for ${options.durationSeconds} s against ${ordersUrl}`);
    const nextOrder = orderMix({ users: options.users, sellRatio: options.sellRatio });
    // Order records carry wall-clock times; this maps the monotonic clock onto them.
    const wallAtZero = Date.now() - performance.now();
    const run = await drive(options, (post) => {
      const order = placeOrder(post);
      return (i) => order(nextOrder(i));
    });
    const signInsDuringLoad = tokens.signIns - signInsBeforeLoad;
    const loadEndMs = run.startMs + options.durationSeconds * 1000;

    const orderIds = run.attempts.flatMap((a) => {
      if (a.result?.kind !== "status" || a.result.status !== 202) return [];
      try {
        return [(JSON.parse(a.result.body) as { orderId: string }).orderId];
      } catch {
        return [];
      }
    });
    let acceptCpu: CpuPerOrder | undefined;
    if (paused) {
      // Read before the consumer resumes: only the accept path ran in this window.
      const usageAfterLoad = usageBefore && (await fetchUsage(target.endpoint));
      const cpuAfterLoad = probe?.read();
      const processCpu = probe && cpuBefore && cpuAfterLoad ? { before: cpuBefore, after: cpuAfterLoad, includesClient: probe.includesClient } : undefined;
      if (usageBefore && usageAfterLoad) acceptCpu = cpuPerOrder(usageBefore, usageAfterLoad, orderIds.length, processCpu);
      await paused.resume();
      say("the orders queue's consumer resumed");
    }
    const deadline = performance.now() + options.drainTimeoutSeconds * 1000;
    say(`load done: ${orderIds.length} accepted; waiting up to ${options.drainTimeoutSeconds} s for the backlog`);
    await waitForEmptyQueue(sampler, Math.max(loadEndMs, performance.now()), deadline);
    // Follow every order placed during the load, also those whose 202 the client never saw.
    const loadStartIso = new Date(wallAtZero + run.startMs).toISOString();
    const placed = await ordersPlacedSince(clients.dynamo, TransactionsTableName, Array.from({ length: options.users }, (_, i) => benchUserId(i + 1)), loadStartIso);
    const followed = [...new Set([...orderIds, ...placed])];
    const records = await waitUntilFinal(clients.dynamo, TransactionsTableName, followed, Math.max(5000, deadline - performance.now()));
    await sampler.stop();

    const pipeline = pipelineResult({ orderIds: followed, answered: orderIds.length, records, samples: sampler.samples, startWallMs: wallAtZero + run.startMs, startMs: run.startMs, loadEndMs, durationSeconds: options.durationSeconds });
    let usage: UsageOutcome = { available: false, reason: `${target.endpoint} serves no /_localcloud/metrics (LocalStack or AWS)` };
    let cpu: CpuPerOrder | undefined;
    let authorizer: AuthorizerCost | undefined;
    if (usageBefore) {
      // Consolidations and notifications run after an order is final; the window closes when they are done.
      await settle();
      const usageAfter = await fetchUsage(target.endpoint);
      const cpuAfter = probe?.read();
      const completed = pipeline.filled + Object.values(pipeline.rejected).reduce((x, y) => x + y, 0);
      usage = usageAfter ? usageReport(usageBefore, usageAfter, completed, readPrices(), BENCH_CALLER) : { available: false, reason: "the metrics endpoint stopped answering" };
      const processCpu = probe && cpuBefore && cpuAfter ? { before: cpuBefore, after: cpuAfter, includesClient: probe.includesClient } : undefined;
      if (usageAfter) {
        cpu = cpuPerOrder(usageBefore, usageAfter, completed, processCpu);
        authorizer = authorizerCost(usageBefore, usageAfter, completed, cpu);
      }
    }

    const acceptPath = acceptPathResult(run.attempts, run.startMs, options.durationSeconds);
    const report: BenchReport = {
      startedAt,
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? "unknown", node: process.versions.node, platform: process.platform },
      target: { kind: target.kind, endpoint: target.endpoint },
      options,
      acceptPath,
      pipeline,
      ...(ceiling
        ? { ceiling, versusCeiling: { throughput: ratio(acceptPath.acceptedPerSecond, ceiling.acceptedPerSecond), p99: ratio(acceptPath.acceptLatencyMs.p99, ceiling.acceptLatencyMs.p99) } }
        : {}),
      ...(probe ? { resources: resourceSummary(sampler.samples, run.startMs, loadEndMs, probe.label) } : {}),
      functionErrors,
      usage,
      ...(cpu ? { cpu } : {}),
      ...(acceptCpu ? { acceptCpu } : {}),
      ...(authorizer ? { authorizer } : {}),
      signIns: { beforeLoad: signInsBeforeLoad, duringLoad: signInsDuringLoad },
      samples: sampler.samples.map((s) => ({ ...s, atMs: Math.round(s.atMs - run.startMs) })),
    };
    const markdown = renderMarkdown(report);
    const written = writeResults(report, markdown);
    console.log(markdown);
    say(`wrote ${written.join(", ")}`);
  } finally {
    // Never leave a target's consumer paused, whatever happened.
    await paused?.resume().catch((error: unknown) => say(`could not resume the orders queue's consumer: ${String(error)}`));
    signInPoster.close();
    clients.destroy();
    await target.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
