import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { DEBIAN_AWS_CLI, INSTALL_AWS_CLI } from "../../scripts/ensure-aws-cli.ts";
import type { ApiClient } from "./support/api-client.ts";
import { startTarget, targetName, waitFor, type E2eTarget } from "./support/target.ts";

interface UserView {
  cash: Record<string, string>;
  portfolioValue: Record<string, string>;
  valuedAt: string | null;
  positions: { ticker: string; quantity: number }[];
}
interface OrderView {
  status: string;
  price?: string;
  amount?: string;
  reason?: string;
  history: { status: string }[];
}

const cents = (decimal: string): bigint => {
  const [whole = "0", fraction = ""] = decimal.split(".");
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0").slice(0, 2)) * (decimal.startsWith("-") ? -1n : 1n);
};

// The demo runs with the demo key, whose plan allows about 100 requests a minute: poll below that rate.
const POLL_MS = 700;

/** The original design's demo, as a user runs it with curl: sign in, then three calls. */
describe(`the seed demo on ${targetName}`, () => {
  let target: E2eTarget;
  let api: ApiClient;

  before(async () => {
    target = await startTarget();
    api = target.client("demo");
    assert.match(api.apiUrl, /\/prod\/$/);
  });
  after(async () => target?.stop());

  const get = <T>(path: string) => api.get<T>("1", path);

  test("sign in → value 0 → POST /orders → 202 at once → the value becomes 10 × price", async () => {
    const session = await api.signIn("1", "demo-pass-1");
    assert.equal(session.status, 201);
    const issued = (await session.json()) as { accessToken: string; tokenType: string; expiresIn: number };
    assert.deepEqual([issued.tokenType, issued.expiresIn], ["Bearer", 900]);
    assert.match(issued.accessToken, /^[\w-]+\.[\w-]+\.[\w-]+$/);

    const before = await get<UserView>("users/1");
    assert.equal(before.status, 200);
    assert.equal("email" in before.body, false, "the user view carries no e-mail");
    if (target.name === "localcloud") assert.equal(before.body.portfolioValue.BRL, "0.00");

    // No userId in the body: the order is the signed-in user's.
    const response = await api.post<{ orderId: string; status: string }>("1", "orders", { ticker: "PETR4", quantity: 10, side: "BUY" }, { "x-correlation-id": "demo-correlation-1" });
    assert.equal(response.status, 202);
    const accepted = response.body;
    assert.equal(accepted.status, "ACCEPTED");
    assert.equal(response.headers.get("location"), `/orders/${accepted.orderId}`);

    const order = await waitFor("the order to be filled", async () => {
      const { body } = await get<OrderView>(`orders/${accepted.orderId}`);
      return body.status === "ACCEPTED" ? undefined : body;
    }, 30_000, POLL_MS);
    assert.equal(order.status, "FILLED", `order ended ${order.status} ${order.reason ?? ""}`);
    assert.deepEqual(order.history.map((event) => event.status), ["ACCEPTED", "FILLED"]);
    assert.equal(cents(String(order.amount)), cents(String(order.price)) * 10n, "amount is exactly 10 × price");

    const after = await waitFor("the portfolio to be revalued", async () => {
      const { body } = await get<UserView>("users/1");
      return body.valuedAt && body.positions.some((p) => p.ticker === "PETR4") ? body : undefined;
    }, 30_000, POLL_MS);
    const expected = cents(before.body.portfolioValue.BRL ?? "0") + cents(String(order.amount));
    if (target.name === "localcloud") assert.equal(cents(after.portfolioValue.BRL ?? ""), expected);
    assert.equal(cents(after.cash.BRL ?? ""), cents(before.body.cash.BRL ?? "") - cents(String(order.amount)));

    if (target.name === "localcloud") {
      // Notifications are delivered after the valuation: wait for every function to have logged the order.
      const functions = ["validate-order", "process-order", "consolidate-portfolio", "send-push", "send-email"];
      await waitFor("every function to log the order with its correlation id", async () => {
        const lines = target.logs.filter((line) => line.includes('"correlationId":"demo-correlation-1"'));
        const sources = new Set(lines.map((line) => line.split(" | ")[0]?.trim()));
        return functions.every((fn) => sources.has(fn)) ? true : undefined;
      });
      // The e-mail went to user 1's decrypted address, which no log line shows.
      const delivered = target.logs.filter((line) => line.startsWith("send-email") && line.includes('"correlationId":"demo-correlation-1"') && line.includes("email delivered"));
      assert.equal(delivered.length, 1, "send-email delivered the demo order's e-mail once");
      assert.doesNotMatch(delivered.join("\n"), /"to"|ana\.souza@example\.com/);
      assert.ok(!target.logs.some((line) => line.includes("ana.souza@example.com")), "no log line holds the address");
    }
  });

  // LocalStack runs EventBridge schedules on its own clock; only the local cloud fires them on demand.
  if (targetName === "localcloud") test("the order reconciler is deployed on its schedule and runs", async () => {
    assert.ok(target.runSchedules, "the local cloud fires schedules on demand");
    assert.ok(
      target.logs.some((line) => /^scheduler \| .*rate\(1 minute\) → .*ReconcileOrders/.test(line)),
      "the stack's rate(1 minute) rule is scheduled against reconcile-orders",
    );
    await target.runSchedules();
    const done = await waitFor("reconcile-orders to report", async () =>
      target.logs.find((line) => line.startsWith("reconcile-orders") && line.includes("reconciliation done")),
    );
    // The demo order above settled, so nothing was stranded.
    assert.match(done, /"REQUEUE":0/);
  });

  test("another user's account is 403 FORBIDDEN, an unknown order 404, with stable error codes", async () => {
    const user = await get<{ error: { code: string } }>("users/2");
    assert.equal(user.status, 403);
    assert.equal(user.body.error.code, "FORBIDDEN");
    const order = await get<{ error: { code: string } }>("orders/does-not-exist");
    assert.equal(order.status, 404);
    assert.equal(order.body.error.code, "ORDER_NOT_FOUND");
  });

  test("the aws CLI lists the queues, scans a table and describes the stack", async () => {
    // Debian's aws CLI v2 (what `npm test` installs), whatever other aws is on the PATH.
    const aws = DEBIAN_AWS_CLI;
    assert.ok(existsSync(aws), `${aws} is missing: ${INSTALL_AWS_CLI}`);
    // Asynchronous on purpose: the local cloud answering the CLI runs in this very process.
    const run = async (...args: string[]): Promise<unknown> => {
      const { stdout } = await promisify(execFile)(aws, ["--endpoint-url", target.endpoint, "--output", "json", ...args], {
        env: { ...process.env, ...target.awsEnv },
      });
      return JSON.parse(stdout);
    };
    const outputs = target.outputs.Brokerage ?? {};
    const queues = await run("sqs", "list-queues") as { QueueUrls: string[] };
    for (const key of ["OrdersQueueUrl", "PushQueueUrl", "EmailQueueUrl", "OrdersDeadLetterQueueUrl"]) {
      assert.ok(queues.QueueUrls.includes(String(outputs[key])), `list-queues shows ${key}`);
    }
    const scan = await run("dynamodb", "scan", "--table-name", String(outputs.UsersTableName)) as { Items: { pk: { S: string } }[] };
    assert.ok(scan.Items.some((item) => item.pk.S === "USER#1"), "the users table holds user 1");
    const stacks = await run("cloudformation", "describe-stacks", "--stack-name", "Brokerage") as {
      Stacks: { StackStatus: string; Outputs: { OutputKey: string; OutputValue: string }[] }[];
    };
    const stack = stacks.Stacks[0];
    assert.ok(stack && /COMPLETE/.test(stack.StackStatus));
    assert.ok(stack.Outputs.some((o) => o.OutputKey === "ApiUrl"));
  });
});
