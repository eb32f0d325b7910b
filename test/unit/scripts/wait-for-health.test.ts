import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { EndpointNotHealthyError, waitForHealth } from "../../../scripts/wait-for-health.ts";

test("waits through a booting emulator's 503s until the health path answers 200", async () => {
  let calls = 0;
  const server = createServer((request, response) => {
    calls++;
    response.writeHead(request.url === "/_localstack/health" && calls >= 3 ? 200 : 503).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    assert.equal(await waitForHealth({ endpoint, timeoutMs: 30_000, intervalMs: 10 }), 3);
  } finally {
    server.close();
  }
});

test("gives up at its deadline with the last answer and what to start", async () => {
  const server = createServer((_, response) => response.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Long enough for a loaded machine to answer at least once: the last answer must be the 404.
    await assert.rejects(waitForHealth({ endpoint, timeoutMs: 1_000, intervalMs: 10 }), (error: unknown) => {
      assert.ok(error instanceof EndpointNotHealthyError);
      assert.match(error.message, /_localstack\/health did not answer 200 .*last: HTTP 404.*npm run localstack:up/);
      return true;
    });
  } finally {
    server.close();
  }
});
