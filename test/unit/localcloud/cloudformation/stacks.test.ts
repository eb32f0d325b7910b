/**
 * CloudFormation on the local cloud, through the SDK as the CDK CLI drives it: change
 * sets, creation, updates, rollback with the failed resource's reason, deletion.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  CloudFormationServiceException,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  type CloudFormationClient,
} from "@aws-sdk/client-cloudformation";
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
import { GetParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { startLocalCloud, type LocalCloud } from "../../../../localcloud/cloud.ts";
import { cloudFormationClient, credentials, deployWithChangeSet, output, settledStack, stackEvents } from "./support.ts";

const queue = (properties: Record<string, unknown> = {}) => ({ Type: "AWS::SQS::Queue", Properties: properties });

describe("CloudFormation: change sets, updates, rollback and deletion", () => {
  let cloud: LocalCloud;
  let cfn: CloudFormationClient;
  let sqs: SQSClient;
  let ssm: SSMClient;

  before(async () => {
    cloud = await startLocalCloud({ port: 0, dataDir: "", inMemory: true });
    cfn = cloudFormationClient(cloud.endpoint);
    const config = { endpoint: cloud.endpoint, region: "us-east-1", credentials, maxAttempts: 1 };
    sqs = new SQSClient(config);
    ssm = new SSMClient(config);
  });
  after(async () => {
    cfn.destroy();
    sqs.destroy();
    ssm.destroy();
    await cloud.stop();
  });

  const queueExists = async (name: string): Promise<boolean> =>
    sqs.send(new GetQueueUrlCommand({ QueueName: name })).then(() => true, () => false);

  test("a CREATE change set lists every resource as Add, and executing it creates them and the outputs", async () => {
    const template = {
      Resources: { Jobs: queue({ QueueName: "cfn-jobs", VisibilityTimeout: 30 }), Setting: { Type: "AWS::SSM::Parameter", Properties: { Name: "/cfn/setting", Type: "String", Value: "one" } } },
      Outputs: { JobsUrl: { Value: { Ref: "Jobs" } }, JobsArn: { Value: { "Fn::GetAtt": ["Jobs", "Arn"] } } },
    };
    await cfn.send(new CreateChangeSetCommand({ StackName: "Created", ChangeSetName: "first", ChangeSetType: "CREATE", TemplateBody: JSON.stringify(template) }));
    const review = (await cfn.send(new DescribeStacksCommand({ StackName: "Created" }))).Stacks?.[0];
    assert.equal(review?.StackStatus, "REVIEW_IN_PROGRESS");
    const changeSet = await cfn.send(new DescribeChangeSetCommand({ StackName: "Created", ChangeSetName: "first" }));
    assert.equal(changeSet.Status, "CREATE_COMPLETE");
    assert.deepEqual(changeSet.Changes?.map((c) => [c.ResourceChange?.Action, c.ResourceChange?.LogicalResourceId]).sort(), [["Add", "Jobs"], ["Add", "Setting"]]);

    await cfn.send(new DeleteChangeSetCommand({ StackName: "Created", ChangeSetName: "first" }));
    const stack = await deployWithChangeSet(cfn, "Created", template);
    assert.equal(stack.StackStatus, "CREATE_COMPLETE");
    assert.match(output(stack, "JobsUrl") ?? "", /\/000000000000\/cfn-jobs$/);
    assert.equal(output(stack, "JobsArn"), "arn:aws:sqs:us-east-1:000000000000:cfn-jobs");
    assert.equal(await queueExists("cfn-jobs"), true);
    assert.equal((await ssm.send(new GetParameterCommand({ Name: "/cfn/setting" }))).Parameter?.Value, "one");
    const events = await stackEvents(cfn, "Created");
    assert.deepEqual(events.filter((e) => e.LogicalResourceId === "Jobs").map((e) => e.ResourceStatus), ["CREATE_IN_PROGRESS", "CREATE_COMPLETE"]);
    assert.equal(events.at(-1)?.ResourceStatus, "CREATE_COMPLETE");
    const resources = await cfn.send(new ListStackResourcesCommand({ StackName: "Created" }));
    assert.deepEqual(resources.StackResourceSummaries?.map((r) => r.PhysicalResourceId).sort(), ["/cfn/setting", output(stack, "JobsUrl")]);
  });

  test("an update modifies, adds and removes resources in place, and the same template again is no change", async () => {
    const first = { Resources: { Keep: queue({ QueueName: "cfn-keep", VisibilityTimeout: 30 }), Drop: queue({ QueueName: "cfn-drop" }) } };
    await deployWithChangeSet(cfn, "Updated", first);
    const second = { Resources: { Keep: queue({ QueueName: "cfn-keep", VisibilityTimeout: 90 }), Added: queue({ QueueName: "cfn-added" }) } };
    await cfn.send(new CreateChangeSetCommand({ StackName: "Updated", ChangeSetName: "second", ChangeSetType: "UPDATE", TemplateBody: JSON.stringify(second) }));
    const changeSet = await cfn.send(new DescribeChangeSetCommand({ StackName: "Updated", ChangeSetName: "second" }));
    const actions = Object.fromEntries(changeSet.Changes?.map((c) => [c.ResourceChange?.LogicalResourceId, c.ResourceChange?.Action]) ?? []);
    assert.deepEqual(actions, { Keep: "Modify", Added: "Add", Drop: "Remove" });
    const keepDetail = changeSet.Changes?.find((c) => c.ResourceChange?.LogicalResourceId === "Keep")?.ResourceChange?.Details?.[0]?.Target;
    assert.deepEqual([keepDetail?.Name, keepDetail?.BeforeValue, keepDetail?.AfterValue], ["VisibilityTimeout", "30", "90"]);

    await cfn.send(new DeleteChangeSetCommand({ StackName: "Updated", ChangeSetName: "second" }));
    const stack = await deployWithChangeSet(cfn, "Updated", second, { type: "UPDATE" });
    assert.equal(stack.StackStatus, "UPDATE_COMPLETE");
    const keepUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: "cfn-keep" }))).QueueUrl;
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: keepUrl, AttributeNames: ["VisibilityTimeout"] }));
    assert.equal(attributes.Attributes?.VisibilityTimeout, "90");
    assert.equal(await queueExists("cfn-added"), true);
    assert.equal(await queueExists("cfn-drop"), false);
    const template = await cfn.send(new GetTemplateCommand({ StackName: "Updated" }));
    assert.deepEqual(JSON.parse(template.TemplateBody ?? "{}"), second);

    await cfn.send(new CreateChangeSetCommand({ StackName: "Updated", ChangeSetName: "same", ChangeSetType: "UPDATE", TemplateBody: JSON.stringify(second) }));
    const same = await cfn.send(new DescribeChangeSetCommand({ StackName: "Updated", ChangeSetName: "same" }));
    assert.equal(same.Status, "FAILED");
    assert.match(same.StatusReason ?? "", /didn't contain changes/);
  });

  test("a resource that fails rolls a new stack back, deleting what was made, with the reason in the events", async () => {
    const template = {
      Resources: {
        Made: queue({ QueueName: "cfn-made-then-rolled-back" }),
        Broken: { Type: "AWS::Lambda::EventSourceMapping", DependsOn: "Made", Properties: { FunctionName: "nowhere", EventSourceArn: "arn:aws:kinesis:us-east-1:000000000000:stream/s" } },
      },
    };
    const stack = await deployWithChangeSet(cfn, "Broken", template);
    assert.equal(stack.StackStatus, "ROLLBACK_COMPLETE");
    assert.match(stack.StackStatusReason ?? "", /\[Broken\]/);
    const failed = (await stackEvents(cfn, "Broken")).find((e) => e.ResourceStatus === "CREATE_FAILED");
    assert.equal(failed?.LogicalResourceId, "Broken");
    assert.match(failed?.ResourceStatusReason ?? "", /Only SQS event sources/);
    assert.equal(await queueExists("cfn-made-then-rolled-back"), false);
  });

  test("a failed update rolls back to the previous template and keeps what was there", async () => {
    const first = { Resources: { Stays: queue({ QueueName: "cfn-stays", VisibilityTimeout: 30 }) } };
    await deployWithChangeSet(cfn, "RolledBack", first);
    const broken = {
      Resources: {
        Stays: queue({ QueueName: "cfn-stays", VisibilityTimeout: 45 }),
        Extra: queue({ QueueName: "cfn-extra" }),
        Broken: { Type: "AWS::Lambda::EventSourceMapping", DependsOn: ["Stays", "Extra"], Properties: { FunctionName: "f", EventSourceArn: "arn:aws:kinesis:us-east-1:000000000000:stream/s" } },
      },
    };
    const stack = await deployWithChangeSet(cfn, "RolledBack", broken, { type: "UPDATE" });
    assert.equal(stack.StackStatus, "UPDATE_ROLLBACK_COMPLETE");
    const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: "cfn-stays" }))).QueueUrl;
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["VisibilityTimeout"] }));
    assert.equal(attributes.Attributes?.VisibilityTimeout, "30");
    assert.equal(await queueExists("cfn-extra"), false);
    assert.deepEqual(JSON.parse((await cfn.send(new GetTemplateCommand({ StackName: "RolledBack" }))).TemplateBody ?? "{}"), first);
  });

  test("deleting a stack removes its resources but those it retains; the stack is then gone by name", async () => {
    const template = { Resources: { Gone: queue({ QueueName: "cfn-gone" }), Kept: { ...queue({ QueueName: "cfn-kept" }), DeletionPolicy: "Retain" } } };
    await deployWithChangeSet(cfn, "Deleted", template);
    await cfn.send(new DeleteStackCommand({ StackName: "Deleted" }));
    await assert.rejects(
      async () => {
        for (let i = 0; i < 300; i++) {
          await cfn.send(new DescribeStacksCommand({ StackName: "Deleted" }));
          await new Promise((done) => setTimeout(done, 100));
        }
      },
      (error: unknown) => error instanceof CloudFormationServiceException && /does not exist/.test(error.message),
    );
    assert.equal(await queueExists("cfn-gone"), false);
    assert.equal(await queueExists("cfn-kept"), true);
  });

  test("YAML in short form, a template in S3 and an SSM-typed parameter deploy as on AWS", async () => {
    const yaml = [
      "Parameters:",
      "  Version:",
      "    Type: AWS::SSM::Parameter::Value<String>",
      "    Default: /cfn/version",
      "Resources:",
      "  Queue:",
      "    Type: AWS::SQS::Queue",
      "    Properties:",
      "      QueueName: !Sub 'cfn-yaml-${Version}'",
      "Outputs:",
      "  Arn:",
      "    Value: !GetAtt Queue.Arn",
      "  Url:",
      "    Value: !Ref Queue",
    ].join("\n");
    await assert.rejects(
      cfn.send(new CreateChangeSetCommand({ StackName: "Yaml", ChangeSetName: "c", ChangeSetType: "CREATE", TemplateBody: yaml })),
      /Unable to fetch parameters \[\/cfn\/version\]/,
    );
    await ssm.send(new PutParameterCommand({ Name: "/cfn/version", Value: "7", Type: "String" }));
    const s3 = new S3Client({ endpoint: cloud.endpoint.replace("localhost", "127.0.0.1"), region: "us-east-1", credentials, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: "templates" }));
    await s3.send(new PutObjectCommand({ Bucket: "templates", Key: "yaml.yml", Body: yaml }));
    s3.destroy();
    await cfn.send(
      new CreateChangeSetCommand({ StackName: "Yaml", ChangeSetName: "c", ChangeSetType: "CREATE", TemplateURL: "https://s3.us-east-1.amazonaws.com/templates/yaml.yml" }),
    );
    await cfn.send(new ExecuteChangeSetCommand({ StackName: "Yaml", ChangeSetName: "c" }));
    const stack = await settledStack(cfn, "Yaml");
    assert.equal(stack.StackStatus, "CREATE_COMPLETE");
    assert.equal(output(stack, "Arn"), "arn:aws:sqs:us-east-1:000000000000:cfn-yaml-7");
    assert.deepEqual(stack.Parameters?.map((p) => [p.ParameterKey, p.ParameterValue, p.ResolvedValue]), [["Version", "/cfn/version", "7"]]);
  });
});
