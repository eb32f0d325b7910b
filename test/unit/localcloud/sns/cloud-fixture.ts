/** A local cloud with SDK clients for SNS, SQS and EventBridge, and Lambda functions that record what they are sent. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SNSClient } from "@aws-sdk/client-sns";
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type Message } from "@aws-sdk/client-sqs";
import { startLocalCloud, type LocalCloud } from "../../../../localcloud/cloud.ts";

export const credentials = { accessKeyId: "test", secretAccessKey: "test" };

export interface CloudFixture {
  readonly cloud: LocalCloud;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  readonly events: EventBridgeClient;
  stop(): Promise<void>;
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** In memory unless a data folder is given (then it persists there). */
export async function startCloud(dataDir?: string): Promise<CloudFixture> {
  const cloud = await startLocalCloud({ port: 0, dataDir: dataDir ?? "", inMemory: dataDir === undefined });
  const config = { endpoint: cloud.endpoint, region: "us-east-1", credentials, maxAttempts: 1 };
  const sns = new SNSClient(config);
  const sqs = new SQSClient(config);
  const events = new EventBridgeClient(config);
  return {
    cloud,
    sns,
    sqs,
    events,
    async stop() {
      sns.destroy();
      sqs.destroy();
      events.destroy();
      await cloud.stop();
    },
  };
}

/** Receives (and deletes) everything on the queue now. */
export async function drain(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"], WaitTimeSeconds: 0 }));
    if (Messages.length === 0) return all;
    all.push(...Messages);
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
  }
}

export interface Recorder {
  readonly functionName: string;
  readonly arn: string;
  /** Every event the function was invoked with so far. */
  received(): unknown[];
}

/** A function that appends each event it gets to a file, so a test sees what Lambda was handed. */
export function recorder(cloud: LocalCloud, root: string, name: string): Recorder {
  const codeDir = join(root, `${name}-code`);
  const out = join(root, `${name}.jsonl`);
  mkdirSync(codeDir, { recursive: true });
  writeFileSync(join(codeDir, "index.js"), `const fs = require("node:fs");\nexports.handler = async (event) => { fs.appendFileSync(process.env.OUT, JSON.stringify(event) + "\\n"); return {}; };\n`);
  cloud.services.lambda.createFunction({
    functionName: name,
    displayName: name,
    codeDir,
    handler: "index.handler",
    runtime: "nodejs22.x",
    timeoutSeconds: 3,
    memorySizeMb: 128,
    environment: { OUT: out },
  });
  return {
    functionName: name,
    arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    received: () => (existsSync(out) ? readFileSync(out, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as unknown) : []),
  };
}

/** Polls until `count` events were recorded; fails after 15 s. */
export async function receivedAtLeast(recorder: Recorder, count: number): Promise<unknown[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const received = recorder.received();
    if (received.length >= count) return received;
    if (Date.now() > deadline) throw new Error(`${recorder.functionName} received ${received.length} events, expected ${count}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}
