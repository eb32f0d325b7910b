/** SSM Parameter Store on the local cloud's endpoint through the AWS SDK, in-process, and across a restart. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  DeleteParameterCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParametersCommand,
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { startLocalCloud, type LocalCloud } from "../../../../localcloud/cloud.ts";
import { ParameterAlreadyExistsError } from "../../../../localcloud/ssm/index.ts";

const BOOTSTRAP_VERSION = "/cdk-bootstrap/hnb659fds/version";

function ssmClient(cloud: LocalCloud): SSMClient {
  return new SSMClient({ endpoint: cloud.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
}

describe("SSM Parameter Store through the SDK", () => {
  let cloud: LocalCloud;
  let ssm: SSMClient;

  before(async () => {
    cloud = await startLocalCloud({ port: 0, dataDir: "unused", inMemory: true });
    ssm = ssmClient(cloud);
  });

  after(async () => {
    ssm.destroy();
    await cloud.stop();
  });

  test("a parameter put is read back with its version and ARN", async () => {
    const put = await ssm.send(new PutParameterCommand({ Name: BOOTSTRAP_VERSION, Value: "30", Type: "String" }));
    assert.equal(put.Version, 1);

    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: BOOTSTRAP_VERSION }));
    assert.equal(Parameter?.Value, "30");
    assert.equal(Parameter?.Version, 1);
    assert.equal(Parameter?.Type, "String");
    assert.equal(Parameter?.ARN, `arn:aws:ssm:us-east-1:000000000000:parameter${BOOTSTRAP_VERSION}`);
    assert.ok(Parameter?.LastModifiedDate instanceof Date);
  });

  test("putting an existing name fails unless Overwrite is set, which makes a new version", async () => {
    await ssm.send(new PutParameterCommand({ Name: "/app/mode", Value: "simulated", Type: "String" }));

    await assert.rejects(ssm.send(new PutParameterCommand({ Name: "/app/mode", Value: "yahoo" })), ParameterAlreadyExists);
    const overwritten = await ssm.send(new PutParameterCommand({ Name: "/app/mode", Value: "yahoo", Overwrite: true }));
    assert.equal(overwritten.Version, 2);
    assert.equal((await ssm.send(new GetParameterCommand({ Name: "/app/mode" }))).Parameter?.Value, "yahoo");
  });

  test("a missing parameter is ParameterNotFound, and GetParameters lists it as invalid", async () => {
    await assert.rejects(ssm.send(new GetParameterCommand({ Name: "/absent" })), ParameterNotFound);
    await ssm.send(new PutParameterCommand({ Name: "/present", Value: "yes", Type: "String" }));

    const both = await ssm.send(new GetParametersCommand({ Names: ["/present", "/absent"] }));
    assert.deepEqual(both.Parameters?.map((p) => p.Name), ["/present"]);
    assert.deepEqual(both.InvalidParameters, ["/absent"]);
  });

  test("a deleted parameter is gone, and deleting it again is ParameterNotFound", async () => {
    await ssm.send(new PutParameterCommand({ Name: "/to-delete", Value: "x", Type: "String" }));

    await ssm.send(new DeleteParameterCommand({ Name: "/to-delete" }));
    await assert.rejects(ssm.send(new GetParameterCommand({ Name: "/to-delete" })), ParameterNotFound);
    await assert.rejects(ssm.send(new DeleteParameterCommand({ Name: "/to-delete" })), ParameterNotFound);
  });

  test("DescribeParameters filters by name prefix", async () => {
    await ssm.send(new PutParameterCommand({ Name: "/described/a", Value: "1", Type: "String", Description: "first" }));
    await ssm.send(new PutParameterCommand({ Name: "/described/b", Value: "2", Type: "SecureString" }));

    const described = await ssm.send(
      new DescribeParametersCommand({ ParameterFilters: [{ Key: "Name", Option: "BeginsWith", Values: ["/described/"] }] }),
    );
    assert.deepEqual(
      described.Parameters?.map((p) => [p.Name, p.Type, p.Description]),
      [["/described/a", "String", "first"], ["/described/b", "SecureString", undefined]],
    );
  });

  test("the in-process API sees what the SDK wrote and refuses an existing name without overwrite", async () => {
    const { ssm: service } = cloud.services;
    assert.equal(service.getParameter(BOOTSTRAP_VERSION), "30");
    assert.throws(() => service.putParameter(BOOTSTRAP_VERSION, "31"), ParameterAlreadyExistsError);

    assert.equal(service.putParameter(BOOTSTRAP_VERSION, "31", { overwrite: true }), 2);
    assert.equal((await ssm.send(new GetParameterCommand({ Name: BOOTSTRAP_VERSION }))).Parameter?.Value, "31");
    assert.equal(service.deleteParameter(BOOTSTRAP_VERSION), true);
    assert.equal(service.getParameter(BOOTSTRAP_VERSION), undefined);
  });
});

describe("SSM parameters on disk", () => {
  let dataDir: string;

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), "ssm-test-"));
  });

  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test("parameters and their versions survive a restart, and --reset clears them", async () => {
    const first = await startLocalCloud({ port: 0, dataDir });
    const client = ssmClient(first);
    await client.send(new PutParameterCommand({ Name: BOOTSTRAP_VERSION, Value: "29", Type: "String" }));
    await client.send(new PutParameterCommand({ Name: BOOTSTRAP_VERSION, Value: "30", Overwrite: true }));
    client.destroy();
    await first.stop();

    const second = await startLocalCloud({ port: 0, dataDir });
    const again = ssmClient(second);
    try {
      const { Parameter } = await again.send(new GetParameterCommand({ Name: BOOTSTRAP_VERSION }));
      assert.deepEqual([Parameter?.Value, Parameter?.Version], ["30", 2]);
    } finally {
      again.destroy();
      await second.stop();
    }

    const reset = await startLocalCloud({ port: 0, dataDir, reset: true });
    try {
      assert.equal(reset.services.ssm.getParameter(BOOTSTRAP_VERSION), undefined);
    } finally {
      await reset.stop();
    }
  });
});
