/**
 * `npm run chaos`: orders through the local cloud while it is crashed, starved of
 * prices and made to deliver twice, then the proof that nothing was lost or doubled.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { benchClients } from "../bench/aws.ts";
import { jsonPoster } from "../bench/http-post.ts";
import { runPassword } from "../bench/load-users.ts";
import { sessionTokens } from "../bench/session-tokens.ts";
import { KmsFieldCipher } from "../adapters/kms-field-cipher.ts";
import { apiKeyValue } from "../ops/demo-credentials.ts";
import { pairsFromOutputs } from "../ops/dead-letter-queues.ts";
import { redrive } from "../ops/dlq-redrive.ts";
import { auditLedger, type LedgerAudit } from "../ops/ledger-audit.ts";
import { loadLedgerSnapshot } from "../ops/ledger-source.ts";
import { synthesizeAssemblies } from "./assemblies.ts";
import { orderClient, type PlacedOrder } from "./client.ts";
import { CloudProcess, freePort, supportedChaosFlags } from "./cloud-process.ts";
import { driveOrders, type LoadProgress } from "./load.ts";
import { awaitQueueEmpty, scanAuditEvents, trailsOf } from "./audit-trail.ts";
import { countNotifications } from "./notifications.ts";
import { parseChaosArgs, USAGE, type ChaosOptions } from "./options.ts";
import { orderPlan } from "./order-plan.ts";
import { reportRows, textTable, writeReport, type ChaosReport } from "./report.ts";
import { awaitNotifications, settle } from "./settle.ts";
import { deadLetterContents, queueDepth, scanOrders } from "./state.ts";
import { seedChaosUsers } from "./users.ts";
import { brokenGuarantees, computeNumbers } from "./verdict.ts";

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function chaosArgs(options: ChaosOptions, supported: readonly string[], warnings: string[], faults: string[]): string[] {
  const wanted: [string, number][] = [
    ["--chaos-crash-rate", options.crashRate],
    ["--chaos-timeout-rate", options.timeoutRate],
    ["--chaos-duplicate-rate", options.duplicateRate],
    ["--chaos-seed", options.seed],
  ];
  const args: string[] = [];
  for (const [flag, value] of wanted) {
    if (supported.includes(flag)) {
      args.push(flag, String(value));
      if (flag !== "--chaos-seed") faults.push(`${flag} ${value}`);
    } else if (flag !== "--chaos-seed" && value > 0) {
      warnings.push(`this local cloud has no ${flag}: that fault was NOT injected`);
    }
  }
  return args;
}

function stackOutputs(file: string): Record<string, string> {
  const all = JSON.parse(readFileSync(file, "utf8")) as Record<string, Record<string, string>>;
  const outputs = all.Brokerage;
  if (!outputs?.ApiUrl || !outputs.UsersTableName || !outputs.TransactionsTableName || !outputs.LoadTestApiKeyId || !outputs.PersonalDataKeyArn) {
    throw new Error(`${file} lacks the Brokerage outputs (API URL, tables, LoadTestApiKeyId, PersonalDataKeyArn)`);
  }
  return outputs;
}

export async function runChaos(options: ChaosOptions, say: (line: string) => void = console.log): Promise<ChaosReport> {
  const startedAt = new Date().toISOString();
  const t0 = Date.now();
  const timeline: string[] = [];
  const mark = (line: string) => {
    const entry = `+${Math.round((Date.now() - t0) / 1000)} s ${line}`;
    timeline.push(entry);
    say(entry);
  };
  const resultsDir = resolve(options.resultsDir);
  mkdirSync(resultsDir, { recursive: true });
  const logFile = join(resultsDir, `${startedAt.replace(/[:.]/g, "-")}.log`);
  writeFileSync(logFile, "");
  const workDir = mkdtempSync(join(tmpdir(), "brokerage-chaos-run-"));
  const warnings: string[] = [];
  const faults: string[] = [];

  mark("synthesizing three assemblies (market failure rate 0, 0.2 and 1), or reusing them …");
  const [assemblies, supported] = await Promise.all([synthesizeAssemblies(join(resultsDir, "assemblies"), 0.2), Promise.resolve().then(supportedChaosFlags)]);
  mark(`assemblies ready (${assemblies.synthesized} synthesized, ${3 - assemblies.synthesized} reused)`);
  const faultArgs = chaosArgs(options, supported, warnings, faults);
  for (const warning of warnings) say(`WARNING: ${warning}`);

  const cloud = new CloudProcess({ port: await freePort(), dataDir: join(workDir, "data"), workDir, logFile, faultArgs });
  // The child has its own process group, so Ctrl-C does not reach it: kill it on the way out.
  const killOnExit = () => cloud.killNow();
  const killOnSignal = () => {
    cloud.killNow();
    process.exit(130);
  };
  process.once("exit", killOnExit);
  process.once("SIGINT", killOnSignal);
  process.once("SIGTERM", killOnSignal);
  const clients: { destroy(): void }[] = [];
  try {
    mark(`local cloud ready in ${await cloud.start(assemblies.flaky, "market failing 20%")} ms (market failing 20% of calls)`);
    const outputs = stackOutputs(cloud.outputsFile);
    const apiUrl = outputs.ApiUrl!.replace("//localhost:", "//127.0.0.1:");
    const endpoint = new URL(apiUrl).origin;
    const aws = benchClients(endpoint);
    clients.push(aws);
    const password = runPassword();
    const cipher = new KmsFieldCipher(outputs.PersonalDataKeyArn!, aws.kms);
    await seedChaosUsers({ client: aws.dynamo, usersTable: outputs.UsersTableName!, cipher }, options.users, password);
    // The key of the load-test usage plan: the clients' plan would throttle this load.
    const apiKey = await apiKeyValue(aws.apigateway, outputs.LoadTestApiKeyId!);
    const pairs = pairsFromOutputs(outputs);

    const signInPoster = jsonPoster({ maxSockets: 8, timeoutMs: 15_000 });
    clients.push({ destroy: () => signInPoster.close() });
    const tokens = sessionTokens({ sessionsUrl: `${apiUrl}sessions`, apiKey, password, post: signInPoster.post });
    const client = orderClient(`${apiUrl}orders`, { tokens, apiKey });
    clients.push({ destroy: () => client.close() });
    const progress: LoadProgress = { sent: 0, answered: 0 };
    const loadSeconds = options.orders / options.rate;
    const loadDeadline = Date.now() + (loadSeconds + options.outageSeconds + 240) * 1000;
    faults.push(
      "market failing 20% of price calls (assembly simulatedMarketFailureRate=0.2)",
      `market fully down for ${options.outageSeconds} s (restart on simulatedMarketFailureRate=1, then back)`,
      `kill -9 of the local cloud's process group, restart on the same data folder${options.calmAfterKill && faultArgs.length > 0 ? " without the --chaos-* faults (--calm-after-kill)" : ""}`,
      "client: a retry with the same Idempotency-Key after every connection error, timeout or 5xx; 5% of accepted orders sent twice on purpose",
      "client: each user signs in once (POST /sessions) and again after a 401; every order carries its user's token and the load-test API key",
    );
    mark(`placing ${options.orders} orders at ${options.rate}/s for ${options.users} users`);
    const load = driveOrders(client, orderPlan({ users: options.users, seed: options.seed }), { total: options.orders, rate: options.rate, maxInFlight: 32, replayShare: 0.05, deadline: loadDeadline }, progress);

    const faultScript = async (): Promise<void> => {
      // By answered orders, not sent ones: while the cloud is down every order is "sent" and retrying.
      const waitForShare = async (share: number) => {
        while (progress.answered < options.orders * share && Date.now() < loadDeadline) await sleep(100);
      };
      await waitForShare(0.25);
      mark(`price source down: restarting on the rate-1 assembly (${progress.sent} orders sent, ${progress.answered} answered)`);
      await cloud.stop();
      mark(`down-market cloud ready in ${await cloud.start(assemblies.down, "market down")} ms`);
      await sleep(options.outageSeconds * 1000);
      await cloud.stop();
      mark(`price source back: ready in ${await cloud.start(assemblies.flaky, "market failing 20%")} ms (${progress.sent} orders sent, ${progress.answered} answered)`);
      // A few seconds of load on the recovered cloud first, so the kill lands mid-traffic.
      await sleep(3000);
      await waitForShare(0.6);
      mark(`kill -9 of the local cloud (${progress.sent} orders sent, ${progress.answered} answered)`);
      await cloud.kill9();
      await sleep(2000);
      const calm = options.calmAfterKill && faultArgs.length > 0;
      const after = await cloud.start(assemblies.normal, calm ? "after kill -9, healthy market, no worker faults" : "after kill -9, healthy market", { faults: !options.calmAfterKill });
      mark(`restarted after kill -9: ready in ${after} ms${calm ? " (no crash, timeout or duplicate faults from here on)" : ""}`);
    };
    const [placed] = await Promise.all([load, faultScript()]);
    mark(`load done: ${placed.length} orders placed`);

    const acceptedIds = new Set(placed.flatMap((order: PlacedOrder) => [...order.orderIds]));
    const settleTarget = { dynamo: aws.dynamo, sqs: aws.sqs, transactionsTable: outputs.TransactionsTableName!, pairs };
    const drainMs = options.drainTimeoutSeconds * 1000;
    let settled = await settle(settleTarget, acceptedIds, drainMs, say);
    mark(`settled: ${settled.settled} after ${settled.seconds} s (${settled.unresolved} not final, DLQs ${settled.deadLetterDepth})`);

    let redriven = 0;
    if (settled.deadLetterDepth > 0) {
      for (const pair of pairs) {
        if ((await queueDepth(aws.sqs, pair.deadLetterQueueUrl)) === 0) continue;
        const result = await redrive(aws.sqs, pair);
        redriven += result.moved;
        mark(`redrove ${result.moved} messages of the ${pair.name} DLQ (failed ${result.failed}, left ${result.leftForLater})`);
      }
      settled = await settle(settleTarget, acceptedIds, Math.max(60_000, drainMs / 2), say);
      mark(`settled after redrive: ${settled.settled} after ${settled.seconds} s`);
    }

    const notified = await awaitNotifications(settleTarget, acceptedIds, drainMs, say);
    mark(`notifications: ${notified.unnotified === 0 ? "every final order notified" : `${notified.unnotified} final orders not notified`} after ${notified.seconds} s`);

    const auditPair = pairs.find((p) => p.name === "audit");
    if (auditPair) {
      const emptied = await awaitQueueEmpty(aws.sqs, auditPair.sourceQueueUrl, Math.min(drainMs, 60_000), say);
      mark(`audit queue ${emptied ? "worked off" : "still holds events"}`);
    }
    const stored = await scanOrders(aws.dynamo, outputs.TransactionsTableName!, "chaos-");
    const auditEvents = outputs.AuditTableName ? await scanAuditEvents(aws.dynamo, outputs.AuditTableName, "chaos-") : new Map<string, string[]>();
    const ordersPair = pairs.find((p) => p.name === "orders");
    const ordersDlq = ordersPair ? await deadLetterContents(aws.sqs, ordersPair) : { depth: 0, orderIds: new Set<string>(), groups: new Set<string>() };
    const queueDepthsAtEnd: Record<string, number> = {};
    for (const pair of pairs) {
      queueDepthsAtEnd[pair.name] = await queueDepth(aws.sqs, pair.sourceQueueUrl);
      queueDepthsAtEnd[`${pair.name} DLQ`] = await queueDepth(aws.sqs, pair.deadLetterQueueUrl);
    }
    const touched = [...new Set(placed.map((order) => order.body.userId))].sort();
    const audits: LedgerAudit[] = [];
    for (const userId of touched) {
      audits.push(auditLedger(await loadLedgerSnapshot(aws.dynamo, { usersTable: outputs.UsersTableName!, transactionsTable: outputs.TransactionsTableName! }, userId)));
    }
    await cloud.stop();
    const numbers = computeNumbers({ planned: options.orders, placed, signIns: tokens.signIns, stored, ordersDlq, redriven, audits, notifications: countNotifications(logFile), trails: trailsOf(acceptedOnly(stored, acceptedIds), auditEvents), queueDepthsAtEnd });
    const report: ChaosReport = {
      startedAt, durationSeconds: Math.round((Date.now() - t0) / 1000), options, faults, warnings, timeline, numbers,
      broken: brokenGuarantees(numbers), logFile,
    };
    writeReport(resultsDir, report);
    return report;
  } finally {
    for (const c of clients) c.destroy();
    await cloud.stop().catch(() => cloud.killNow());
    process.removeListener("exit", killOnExit);
    process.removeListener("SIGINT", killOnSignal);
    process.removeListener("SIGTERM", killOnSignal);
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { options, help } = parseChaosArgs(process.argv.slice(2));
  if (help) {
    console.log(USAGE);
    return;
  }
  const report = await runChaos(options);
  console.log(`\n${textTable(reportRows(report.numbers))}`);
  for (const warning of report.warnings) console.log(`WARNING: ${warning}`);
  if (report.numbers.finalWithoutNotification > 0) console.log(`note: ${report.numbers.finalWithoutNotification} final orders have no notification line`);
  console.log(`\nreport: ${join(options.resultsDir, "latest.md")}`);
  if (report.broken.length > 0) {
    for (const broken of report.broken) console.error(`GUARANTEE BROKEN: ${broken}`);
    process.exitCode = 1;
  } else {
    console.log("all guarantees held: nothing lost, nothing filled twice, every ledger balances, every audit trail matches its order");
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`chaos run failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exitCode = 2;
  });
}

/** The stored orders some 202 told the client about. */
function acceptedOnly<T>(stored: ReadonlyMap<string, T>, acceptedIds: ReadonlySet<string>): Map<string, T> {
  return new Map([...stored].filter(([orderId]) => acceptedIds.has(orderId)));
}
