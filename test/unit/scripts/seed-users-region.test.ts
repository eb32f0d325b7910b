import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const run = promisify(execFile);

/**
 * A DynamoDB endpoint that accepts every PutItem and records the region each request was
 * signed for; it also hands out KMS data keys, which the seed needs to encrypt e-mails.
 */
function recordingEndpoint(): { server: Server; regions: string[] } {
  const regions: string[] = [];
  const server = createServer((request, response) => {
    if (String(request.headers["x-amz-target"]).startsWith("TrentService.")) {
      const dataKey = { Plaintext: Buffer.alloc(32, 7).toString("base64"), CiphertextBlob: Buffer.alloc(40, 1).toString("base64"), KeyId: "key" };
      request.resume().on("end", () => response.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(dataKey)));
      return;
    }
    const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/dynamodb\//.exec(request.headers.authorization ?? "");
    regions.push(scope?.[1] ?? "unsigned");
    request.resume().on("end", () => {
      response.writeHead(200, { "content-type": "application/x-amz-json-1.0" }).end("{}");
    });
  });
  return { server, regions };
}

describe("seed-users signs for the region the user configured", () => {
  const { server, regions } = recordingEndpoint();
  const home = mkdtempSync(join(tmpdir(), "seed-region-"));
  let endpoint = "";

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeFileSync(join(home, "config"), "[profile trading]\nregion = eu-west-1\n");
  });
  after(() => {
    server.close();
    rmSync(home, { recursive: true, force: true });
  });

  async function seedWith(env: Record<string, string>): Promise<string[]> {
    regions.length = 0;
    const base: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: home,
      AWS_CONFIG_FILE: join(home, "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_ENDPOINT_URL: endpoint,
      USERS_TABLE: "Users",
      PERSONAL_DATA_KEY_ARN: "arn:aws:kms:us-east-1:000000000000:key/seed-test",
      // No stack outputs: a cdk-outputs.json that `npm start` left in the project is not this test's.
      CDK_OUTPUTS_FILE: join(home, "no-outputs.json"),
      DEMO_CREDENTIALS_FILE: join(home, "demo-credentials.json"),
    };
    await run(process.execPath, ["--import", "tsx", "scripts/seed-users.ts"], { cwd: root, env: { ...base, ...env } });
    return [...new Set(regions)];
  }

  test("AWS_DEFAULT_REGION alone", async () => {
    assert.deepEqual(await seedWith({ AWS_DEFAULT_REGION: "sa-east-1" }), ["sa-east-1"]);
  });

  test("the profile's region when no variable names one", async () => {
    assert.deepEqual(await seedWith({ AWS_PROFILE: "trading" }), ["eu-west-1"]);
  });

  test("AWS_REGION over AWS_DEFAULT_REGION, as the aws CLI orders them", async () => {
    assert.deepEqual(await seedWith({ AWS_REGION: "ap-southeast-2", AWS_DEFAULT_REGION: "sa-east-1" }), ["ap-southeast-2"]);
  });
});
