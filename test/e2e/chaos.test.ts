import assert from "node:assert/strict";
import { test } from "node:test";
import { parseChaosArgs } from "../../chaos/options.ts";
import { runChaos } from "../../chaos/run.ts";

// The short chaos run (one kill -9, a short price outage, duplicate deliveries and worker
// faults where the local cloud supports them) starts its own local cloud child process, so it
// has no LocalStack variant.
if (process.env.E2E_TARGET !== "localstack") test("chaos (short): nothing lost, nothing filled twice, every ledger balances, every audit trail complete", { timeout: 12 * 60_000 }, async () => {
  const { options } = parseChaosArgs(["--short"]);
  const report = await runChaos(options, () => {});
  const n = report.numbers;
  const context = JSON.stringify({ broken: report.broken, numbers: n }, null, 2);
  assert.ok(n.accepted > 0, `no order was accepted:\n${context}`);
  assert.equal(n.lost, 0, `lost orders:\n${context}`);
  assert.equal(n.filledTwice, 0, `orders filled twice:\n${context}`);
  assert.equal(n.doubledOrders, 0, `an Idempotency-Key produced two orders:\n${context}`);
  assert.equal(n.ledgerDifferences, 0, `ledger differences:\n${context}`);
  assert.equal(n.usersAudited, options.users);
  assert.equal(n.eventTrailDifferences, 0, `audit trails that do not match their orders:\n${context}`);
  assert.ok(n.eventTrailsAudited > 0, `no audit trail was checked:\n${context}`);
});
