/** STS on the local cloud's endpoint: the role credentials the CDK CLI asks for are ones the SDK then signs with. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { GetParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { startLocalCloud, type LocalCloud } from "../../../../localcloud/cloud.ts";

const DEPLOY_ROLE = "arn:aws:iam::000000000000:role/cdk-hnb659fds-deploy-role-000000000000-us-east-1";

describe("STS through the SDK", () => {
  let cloud: LocalCloud;
  let sts: STSClient;

  before(async () => {
    cloud = await startLocalCloud({ port: 0, dataDir: "unused", inMemory: true });
    sts = new STSClient({ endpoint: cloud.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  });

  after(async () => {
    sts.destroy();
    await cloud.stop();
  });

  test("AssumeRole answers temporary credentials for the role, an hour long", async () => {
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: DEPLOY_ROLE, RoleSessionName: "aws-cdk-deployer" }));

    assert.match(assumed.Credentials?.AccessKeyId ?? "", /^ASIA[A-Z2-7]{16}$/);
    assert.ok((assumed.Credentials?.SessionToken ?? "").length > 0);
    const minutesLeft = ((assumed.Credentials?.Expiration?.getTime() ?? 0) - Date.now()) / 60_000;
    assert.ok(minutesLeft > 55 && minutesLeft <= 60, `expires in ${minutesLeft} minutes`);
    assert.equal(
      assumed.AssumedRoleUser?.Arn,
      "arn:aws:sts::000000000000:assumed-role/cdk-hnb659fds-deploy-role-000000000000-us-east-1/aws-cdk-deployer",
    );
    assert.match(assumed.AssumedRoleUser?.AssumedRoleId ?? "", /^AROA[A-Z2-7]{17}:aws-cdk-deployer$/);
  });

  test("a client on assumed-role credentials reaches the other services, as the CLI's does", async () => {
    const { Credentials: role } = await sts.send(new AssumeRoleCommand({ RoleArn: DEPLOY_ROLE, RoleSessionName: "aws-cdk-deployer" }));
    const ssm = new SSMClient({
      endpoint: cloud.endpoint,
      region: "us-east-1",
      credentials: {
        accessKeyId: role?.AccessKeyId ?? "",
        secretAccessKey: role?.SecretAccessKey ?? "",
        sessionToken: role?.SessionToken ?? "",
        ...(role?.Expiration === undefined ? {} : { expiration: role.Expiration }),
      },
    });
    try {
      await ssm.send(new PutParameterCommand({ Name: "/cdk-bootstrap/hnb659fds/version", Value: "30", Type: "String" }));
      const { Parameter } = await ssm.send(new GetParameterCommand({ Name: "/cdk-bootstrap/hnb659fds/version" }));
      assert.equal(Parameter?.Value, "30");
    } finally {
      ssm.destroy();
    }
  });

  test("GetSessionToken answers credentials and GetCallerIdentity still names the account", async () => {
    const session = await sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    assert.match(session.Credentials?.AccessKeyId ?? "", /^ASIA/);
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, "000000000000");
  });

  test("a role ARN that is not one is a ValidationError", async () => {
    await assert.rejects(sts.send(new AssumeRoleCommand({ RoleArn: "not-an-arn", RoleSessionName: "s" })), { name: "ValidationError" });
  });
});
