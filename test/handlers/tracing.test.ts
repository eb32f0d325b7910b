/**
 * Tracing as Lambda runs it: the function bundled by the stack's own esbuild bundling
 * (X-Ray SDK included), started with the variables Lambda sets for an active trace, in a
 * process of its own. Its segments reach the daemon address over UDP; with nothing
 * listening there, the function answers just the same.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createSocket, type Socket } from "node:dgram";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { EsbuildBundling } from "../../lib/compute/esbuild-bundling.ts";

const run = promisify(execFile);
const TRACE_ID = "1-6750a3c1-0123456789abcdef01234567";

/** A notification send-push takes (see functions/shared/messages.ts). */
const notification = {
  orderId: "o-1",
  correlationId: "c-1",
  userId: "1",
  name: "Ana",
  status: "FILLED",
  ticker: "PETR4",
  side: "BUY",
  quantity: 10,
  currency: "BRL",
  price: "40.55",
  amount: "405.50",
  portfolioValue: { BRL: "405.50", USD: "0.00" },
  valuedAt: "2026-12-02T12:00:00.000Z",
};

/** Runs the bundle's handler once on an SQS event, as Lambda would, and returns what it answered. */
async function invoke(bundleDir: string, daemonPort: number): Promise<unknown> {
  const script = `
    const { handler } = require(${JSON.stringify(join(bundleDir, "index.js"))});
    const body = ${JSON.stringify(JSON.stringify(notification))};
    const record = { messageId: "m-1", receiptHandle: "r", body, attributes: { ApproximateReceiveCount: "1" }, messageAttributes: {}, eventSource: "aws:sqs" };
    const context = { functionName: "send-push", awsRequestId: "req-1", getRemainingTimeInMillis: () => 5000 };
    handler({ Records: [record] }, context).then((answer) => process.stdout.write("ANSWER " + JSON.stringify(answer) + "\\n"));
  `;
  const { stdout } = await run(process.execPath, ["-e", script], {
    env: {
      PATH: process.env.PATH ?? "",
      AWS_REGION: "us-east-1",
      AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
      AWS_LAMBDA_FUNCTION_NAME: "send-push",
      LAMBDA_TASK_ROOT: bundleDir,
      _HANDLER: "index.handler",
      POWERTOOLS_SERVICE_NAME: "send-push",
      _X_AMZN_TRACE_ID: `Root=${TRACE_ID};Parent=53995c3f42cd8ad8;Sampled=1`,
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemonPort}`,
      AWS_XRAY_CONTEXT_MISSING: "IGNORE_ERROR",
    },
    timeout: 20_000,
  });
  const line = stdout.split("\n").find((l) => l.startsWith("ANSWER "));
  assert.ok(line, `the handler answered; stdout was:\n${stdout}`);
  return JSON.parse(line.slice("ANSWER ".length));
}

describe("X-Ray tracing in the bundled function", () => {
  let bundleDir: string;
  let daemon: Socket;
  const received: string[] = [];

  before(async () => {
    bundleDir = mkdtempSync(join(tmpdir(), "traced-bundle-"));
    new EsbuildBundling(fileURLToPath(new URL("../../functions/send-push.ts", import.meta.url))).tryBundle(bundleDir);
    daemon = createSocket("udp4");
    daemon.on("message", (packet) => received.push(packet.toString("utf8")));
    await new Promise<void>((listening) => daemon.bind(0, "127.0.0.1", listening));
  });
  after(() => {
    daemon?.close();
    rmSync(bundleDir, { recursive: true, force: true });
  });

  test("the handler's subsegment reaches the X-Ray daemon over UDP, in the invocation's trace", async () => {
    const answer = await invoke(bundleDir, daemon.address().port);
    assert.deepEqual(answer, { batchItemFailures: [] });
    // UDP: the packet may land just after the process exits.
    for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((tick) => setTimeout(tick, 20));
    const documents = received.map((packet) => {
      const [header, body] = packet.split("\n");
      assert.deepEqual(JSON.parse(header ?? ""), { format: "json", version: 1 });
      return JSON.parse(body ?? "") as { name: string; trace_id: string };
    });
    const handlerSegment = documents.find((doc) => doc.name === "## index.handler");
    assert.ok(handlerSegment, `a handler subsegment among ${documents.map((d) => d.name).join(", ") || "none"}`);
    assert.equal(handlerSegment.trace_id, TRACE_ID);
  });

  test("with no daemon listening, the function answers the same", async () => {
    const closed = createSocket("udp4");
    await new Promise<void>((listening) => closed.bind(0, "127.0.0.1", listening));
    const port = closed.address().port;
    closed.close();
    assert.deepEqual(await invoke(bundleDir, port), { batchItemFailures: [] });
  });
});
