/**
 * `npm run bench:sdk`: the CPU the AWS SDK itself spends on each call an order makes,
 * the floor under any emulator or cloud. The project's own adapters make the calls, in
 * the shapes the functions send, to a stub in another process that answers each at once
 * (sdk-stub-server.ts); this thread's CPU clock times them, so only the client's work
 * (building, signing, sending, parsing) is counted.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const WARM_UP = 1_000;
const MEASURED = 2_000;

/** Starts the stub in its own process; resolves to its port. */
async function startStub(): Promise<{ port: number; stop(): void }> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(new URL("./sdk-stub-server.ts", import.meta.url))], { stdio: ["ignore", "pipe", "inherit"] });
  const [chunk] = (await once(child.stdout, "data")) as [Buffer];
  return { port: Number(chunk.toString().trim()), stop: () => child.kill("SIGTERM") };
}

/** The stub process's CPU time so far, in microseconds. */
async function stubCpu(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/cpu`);
  return ((await response.json()) as { micros: number }).micros;
}

/**
 * Mean CPU per call, in microseconds, of this thread (the SDK) and of the stub (a server
 * doing nothing but HTTP and JSON), after a warm-up; the calls run one at a time.
 */
async function cpuPerCall(port: number, call: (i: number) => Promise<unknown>): Promise<{ client: number; server: number }> {
  for (let i = 0; i < WARM_UP; i++) await call(i);
  const serverStart = await stubCpu(port);
  const start = process.threadCpuUsage();
  for (let i = 0; i < MEASURED; i++) await call(WARM_UP + i);
  const used = process.threadCpuUsage(start);
  const server = (await stubCpu(port)) - serverStart;
  return { client: (used.user + used.system) / MEASURED, server: server / MEASURED };
}

async function main(): Promise<void> {
  const stub = await startStub();
  // The adapters' clients read these when they are first imported.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${stub.port}`,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
  });
  const { DynamoOrderStore } = await import("../adapters/dynamo-order-store.ts");
  const { DynamoTradeLedger } = await import("../adapters/dynamo-trade-ledger.ts");
  const { DynamoUserStore } = await import("../adapters/dynamo-user-store.ts");
  const { DynamoAttentionList } = await import("../adapters/dynamo-attention-list.ts");
  const { SqsOrderQueue } = await import("../adapters/sqs-order-queue.ts");
  const { newOrder } = await import("../domain/order.ts");
  const { executeOrder } = await import("../domain/execution.ts");

  const orders = new DynamoOrderStore("Transactions", { usersTableName: "Users" });
  const ledger = new DynamoTradeLedger("Transactions", "Users");
  const users = new DynamoUserStore("Users");
  const attention = new DynamoAttentionList("Transactions");
  const queue = new SqsOrderQueue(`http://127.0.0.1:${stub.port}/000000000000/Orders.fifo`);
  const orderNo = (i: number) =>
    newOrder({ userId: "1", ticker: "PETR4", quantity: 10, side: "BUY" }, "BRL", { orderId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, correlationId: `c-${i}`, now: new Date().toISOString() });
  const quote = { ticker: "PETR4", price: 402_700, currency: "BRL" as const, asOf: new Date().toISOString(), source: "simulated" as const };

  const calls: { name: string; perOrder: string; call: (i: number) => Promise<unknown> }[] = [
    { name: "TransactWriteItems: accept (order, event, user check)", perOrder: "1", call: (i) => orders.accept({ order: orderNo(i) }) },
    { name: "SendMessage: the order to the FIFO queue", perOrder: "1", call: (i) => queue.enqueue({ orderId: orderNo(i).orderId, userId: "1", correlationId: `c-${i}` }) },
    {
      name: "TransactWriteItems: fill (order, event, trade, cash, position)",
      perOrder: "1",
      call: (i) => {
        const order = orderNo(i);
        const decision = executeOrder(order, quote, { cash: 10_000_000 });
        if (decision.kind !== "FILL") throw new Error("the floor's order should fill");
        return ledger.recordFill(order, decision, { price: quote.price, amount: decision.amount, currency: "BRL", quoteSource: "simulated", quoteAsOf: quote.asOf, executedAt: quote.asOf });
      },
    },
    { name: "UpdateItem: the notified mark", perOrder: "1", call: (i) => attention.markNotified(orderNo(i).orderId, new Date().toISOString()) },
    { name: "UpdateItem: the valuation", perOrder: "≤ 1 (per user and batch)", call: (i) => users.saveValuation("1", { totals: { BRL: { marketValue: i, costBasis: i, unrealizedPnl: 0 }, USD: { marketValue: 0, costBasis: 0, unrealizedPnl: 0 } }, valuedAt: new Date().toISOString(), tradeVersion: i }) },
    { name: "Query: a user's account", perOrder: "≤ 1 (per user and batch)", call: () => users.getAccount("1") },
  ];

  const rows: { name: string; perOrder: string; client: number; server: number }[] = [];
  for (const { name, perOrder, call } of calls) rows.push({ name, perOrder, ...(await cpuPerCall(stub.port, call)) });
  stub.stop();

  const ms = (micros: number) => (micros / 1000).toFixed(2);
  const [acceptCall, sendCall] = rows;
  const accept = (acceptCall?.client ?? 0) + (sendCall?.client ?? 0);
  const acceptWithServer = accept + (acceptCall?.server ?? 0) + (sendCall?.server ?? 0);
  const everyOrder = rows.slice(0, 4);
  const perOrder = everyOrder.reduce((sum, row) => sum + row.client, 0);
  const perOrderWithServer = everyOrder.reduce((sum, row) => sum + row.client + row.server, 0);
  const lines = [
    `# AWS SDK CPU per call — ${new Date().toISOString()}`,
    "",
    `Node ${process.versions.node}; ${MEASURED} calls each after ${WARM_UP} to warm up, one at a time, made by the project's adapters against a stub that answers at once. SDK: CPU of the calling thread; stub: CPU of the stub's process (HTTP and JSON only).`,
    "",
    "| Call | Per order | SDK CPU per call (ms) | Stub server CPU per call (ms) |",
    "|---|---|---|---|",
    ...rows.map((row) => `| ${row.name} | ${row.perOrder} | ${ms(row.client)} | ${ms(row.server)} |`),
    "",
    `Accept path (its two calls): ${ms(accept)} ms in the SDK, ${ms(acceptWithServer)} ms with the stub's side: at most ${Math.floor(2e6 / acceptWithServer)} accepts/s on two cores doing nothing else (target: 1,000/s, i.e. 2 ms per accept).`,
    `Every order's four calls (accept, send, fill, notified mark): ${ms(perOrder)} ms in the SDK, ${ms(perOrderWithServer)} ms with the stub's side: at most ${Math.floor(2e6 / perOrderWithServer)} orders/s end to end on two cores doing nothing else (target: 300/s, i.e. 6.7 ms per order).`,
  ];
  console.log(lines.join("\n"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
