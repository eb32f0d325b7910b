import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "deploy-scripts-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A stand-in cdk that writes down its arguments and the AWS_ENDPOINT_URL* variables it was given, then fails. */
function recordingCdk(): { bin: string; log: string } {
  const log = join(scratch, "cdk.log");
  const bin = join(scratch, "cdk");
  writeFileSync(bin, `#!/usr/bin/env bash\necho "args: $*" >> ${log}\nenv | grep '^AWS_ENDPOINT_URL' >> ${log} || true\nexit 3\n`);
  chmodSync(bin, 0o755);
  writeFileSync(log, "");
  return { bin, log };
}

function runScript(script: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("bash", [script], { cwd: root, env: { PATH: process.env.PATH ?? "", HOME: scratch, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("deploy scripts", () => {
  test("deploy-localstack stops before cdk, saying what to start, when the endpoint never answers its health path", async () => {
    const cdk = recordingCdk();
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const result = await runScript("scripts/deploy-localstack.sh", { AWS_ENDPOINT_URL: endpoint, HEALTH_TIMEOUT_SECONDS: "1", CDK_CLI: cdk.bin });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, new RegExp(`${endpoint}/_localstack/health did not answer 200 within 1 s.*npm run localstack:up`));
    assert.match(result.stderr, /<== wait for .*: FAILED \(exit 1\) after \d+\.\d s/);
    assert.equal(readFileSync(cdk.log, "utf8"), "", "cdk never ran");
  });

  test("deploy-localstack gives cdk a path-style S3 endpoint on the endpoint's IP, unless one is set", async () => {
    const health = createHttpServer((request, response) => response.writeHead(request.url === "/_localstack/health" ? 200 : 404).end("{}"));
    await new Promise<void>((resolve) => health.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = health.address() as { port: number };
      const cdk = recordingCdk();
      const derived = await runScript("scripts/deploy-localstack.sh", { AWS_ENDPOINT_URL: `http://localhost:${port}`, CDK_CLI: cdk.bin });
      assert.equal(derived.code, 3, derived.stderr);
      assert.match(derived.stdout, /<== wait for .*: \d+\.\d s/);
      assert.deepEqual(readFileSync(cdk.log, "utf8").split("\n").filter(Boolean).sort(), [
        `AWS_ENDPOINT_URL=http://localhost:${port}`,
        `AWS_ENDPOINT_URL_S3=http://127.0.0.1:${port}`,
        "args: synth --quiet --no-notices --output cdk.out",
      ]);
      const overridden = await runScript("scripts/deploy-localstack.sh", { AWS_ENDPOINT_URL: `http://localhost:${port}`, AWS_ENDPOINT_URL_S3: "http://s3.internal:4566", CDK_CLI: cdk.bin });
      assert.equal(overridden.code, 3);
      assert.match(readFileSync(cdk.log, "utf8"), /AWS_ENDPOINT_URL_S3=http:\/\/s3\.internal:4566\n/);
    } finally {
      health.close();
    }
  });

  test("deploy-aws runs cdk with no emulator endpoint left from the shell, and times the failed step", async () => {
    const cdk = recordingCdk();
    const result = await runScript("scripts/deploy-aws.sh", {
      CDK_CLI: cdk.bin,
      AWS_ENDPOINT_URL: "http://localhost:4566",
      AWS_ENDPOINT_URL_S3: "http://127.0.0.1:4566",
      AWS_ENDPOINT_URL_DYNAMODB: "http://localhost:4566",
    });
    assert.equal(result.code, 3);
    assert.equal(readFileSync(cdk.log, "utf8"), "args: bootstrap --no-notices\n");
    assert.match(result.stderr, /<== cdk bootstrap: FAILED \(exit 3\) after \d+\.\d s/);
  });
});
