import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { handleEventSourceMappingApi } from "../../../../localcloud/eventsources/event-source-mapping-api.ts";
import { SqsEventSourceMappings } from "../../../../localcloud/eventsources/index.ts";
import type { HttpResponse } from "../../../../localcloud/types.ts";
import { startSqs, type SqsFixture } from "../sqs/fixtures.ts";
import { eventually, FakeLambda, mapping, ok } from "./fixtures.ts";

/** Pausing and resuming a queue's consumer through Lambda's API, as `aws lambda update-event-source-mapping` does. */
describe("Lambda's event source mapping API", () => {
  let fx: SqsFixture;
  before(async () => {
    fx = await startSqs();
  });
  after(() => fx.close());

  const call = (mappings: SqsEventSourceMappings, method: string, url: string, body?: unknown): Promise<HttpResponse> =>
    handleEventSourceMappingApi(fx.ctx, mappings, { method, url, headers: {}, body: Buffer.from(body === undefined ? "" : JSON.stringify(body)) });
  const parsed = (response: HttpResponse) => JSON.parse(String(response.body)) as Record<string, unknown> & { EventSourceMappings?: Array<Record<string, unknown>> };

  test("lists a function's mappings, and a disabled one leaves its messages in the queue until enabled again", async () => {
    const queue = await fx.sqs.createQueue("esm-api-pause", {});
    const lambda = new FakeLambda(() => ok());
    const mappings = new SqsEventSourceMappings(fx.ctx, fx.sqs, lambda);
    const config = mapping(queue.queueArn, { functionName: "process-order" });
    mappings.add(config);
    try {
      const listed = parsed(await call(mappings, "GET", "/2015-03-31/event-source-mappings/?FunctionName=arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Aprocess-order"));
      assert.deepEqual(listed.EventSourceMappings?.map((m) => [m.UUID, m.State, m.EventSourceArn, m.BatchSize]), [[config.uuid, "Enabled", queue.queueArn, 10]]);
      assert.deepEqual(parsed(await call(mappings, "GET", `/2015-03-31/event-source-mappings/?EventSourceArn=${encodeURIComponent("arn:aws:sqs:us-east-1:000000000000:other")}`)).EventSourceMappings, []);

      const paused = await call(mappings, "PUT", `/2015-03-31/event-source-mappings/${config.uuid}`, { Enabled: false });
      assert.equal(paused.statusCode, 202);
      assert.equal(parsed(paused).State, "Disabled");
      await fx.client.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: "held" }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(lambda.records().length, 0, "a paused mapping delivers nothing");

      const resumed = await call(mappings, "PUT", `/2015-03-31/event-source-mappings/${config.uuid}`, { Enabled: true, BatchSize: 5 });
      assert.equal(parsed(resumed).State, "Enabled");
      assert.equal(parsed(resumed).BatchSize, 5);
      await eventually(async () => assert.deepEqual(lambda.records().map((r) => r.body), ["held"]));
      assert.equal(parsed(await call(mappings, "GET", `/2015-03-31/event-source-mappings/${config.uuid}`)).State, "Enabled");
    } finally {
      await mappings.stop();
    }
  });

  test("an unknown mapping is 404 ResourceNotFoundException; a bad value is 400 InvalidParameterValueException", async () => {
    const queue = await fx.sqs.createQueue("esm-api-errors", {});
    const mappings = new SqsEventSourceMappings(fx.ctx, fx.sqs, new FakeLambda(() => ok()));
    const config = mapping(queue.queueArn, { enabled: false });
    mappings.add(config);
    const missing = await call(mappings, "PUT", "/2015-03-31/event-source-mappings/no-such-uuid", { Enabled: true });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.headers?.["x-amzn-errortype"], "ResourceNotFoundException");
    const bad = await call(mappings, "PUT", `/2015-03-31/event-source-mappings/${config.uuid}`, { BatchSize: 0 });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.headers?.["x-amzn-errortype"], "InvalidParameterValueException");
    assert.match(String(parsed(bad).message), /BatchSize must be a whole number from 1 to 10000, got 0/);
    await mappings.stop();
  });
});
