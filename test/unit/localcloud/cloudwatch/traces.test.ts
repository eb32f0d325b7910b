/** X-Ray traces: API Gateway's stage segment, the function's segment, and what the function's SDK sends the daemon. */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startLocalCloud, type LocalCloud } from "../../../../localcloud/cloud.ts";
import type { ApiMethod } from "../../../../localcloud/types.ts";
import { tempDir } from "../sns/cloud-fixture.ts";
import { eventually } from "./eventually.ts";

/** Sends one subsegment to the daemon as the X-Ray SDK does (header line, then the document), under the invocation's Parent. */
const HANDLER = `
const dgram = require("node:dgram");
exports.handler = async (event) => {
  const header = process.env._X_AMZN_TRACE_ID || "";
  const fields = Object.fromEntries(header.split(";").map((part) => part.split("=")));
  // As the X-Ray SDK: nothing is sent for an invocation that is not sampled.
  if (fields.Root && fields.Sampled === "1") {
    const [host, port] = process.env.AWS_XRAY_DAEMON_ADDRESS.split(":");
    const now = Date.now() / 1000;
    const document = { type: "subsegment", trace_id: fields.Root, parent_id: fields.Parent, id: "a1b2c3d4e5f60718", name: "DynamoDB", start_time: now, end_time: now + 0.01, annotations: { table: "orders" } };
    const socket = dgram.createSocket("udp4");
    await new Promise((done) => socket.send('{"format":"json","version":1}\\n' + JSON.stringify(document), Number(port), host, done));
    socket.close();
  }
  return { statusCode: 200, body: JSON.stringify({ seen: header, event: event.headers ? event.headers["x-amzn-trace-id"] : null }) };
};
`;

describe("X-Ray traces on the local cloud", () => {
  const folder = tempDir("xray-");
  let cloud: LocalCloud;

  before(async () => {
    cloud = await startLocalCloud({ port: 0, dataDir: "", inMemory: true });
    const codeDir = join(folder.path, "code");
    mkdirSync(codeDir, { recursive: true });
    writeFileSync(join(codeDir, "index.js"), HANDLER);
    const base = { codeDir, handler: "index.handler", runtime: "nodejs22.x", timeoutSeconds: 3, memorySizeMb: 128, environment: {} };
    cloud.services.lambda.createFunction({ ...base, functionName: "orders-fn", displayName: "orders" });
    cloud.services.lambda.createFunction({ ...base, functionName: "active-fn", displayName: "active", tracingMode: "Active" });
    const method: ApiMethod = { httpMethod: "POST", authorizationType: "NONE", apiKeyRequired: false, integration: { type: "AWS_PROXY", functionName: "orders-fn" } };
    cloud.services.apigateway.putRestApi({
      id: "traced1234",
      name: "Orders",
      createdDate: new Date(),
      stages: ["prod", "dev"],
      tracedStages: ["prod"],
      resources: [{ id: "root", path: "/", methods: {} }, { id: "orders", parentId: "root", pathPart: "orders", path: "/orders", methods: { POST: method } }],
    });
  });

  after(async () => {
    await cloud.stop();
    folder.remove();
  });

  it("follows a request from a traced stage into the function and its SDK's subsegments", async () => {
    const response = await fetch(`${cloud.endpoint}/_aws/execute-api/traced1234/prod/orders`, { method: "POST", body: "{}" });
    const body = (await response.json()) as { seen: string; event: string };

    const [summary] = await eventually(() => {
      const traces = cloud.monitoring.traces({ limit: 10 });
      assert.equal(traces[0]?.segments, 3);
      return traces;
    });
    assert.equal(summary?.name, "POST /orders");
    assert.equal(summary?.error, false);
    const segments = cloud.monitoring.trace(summary?.traceId ?? "") ?? [];
    const stage = segments.find((segment) => segment.origin === "AWS::ApiGateway::Stage");
    const fn = segments.find((segment) => segment.origin === "AWS::Lambda::Function");
    const sub = segments.find((segment) => segment.name === "DynamoDB");
    assert.equal(fn?.name, "orders-fn");
    assert.equal(fn?.parentId, stage?.id);
    assert.equal(sub?.parentId, fn?.id);
    assert.deepEqual(sub?.annotations, { table: "orders" });
    // The event's X-Amzn-Trace-Id names the stage's segment; the sandbox's, the function's.
    assert.equal(body.event, `Root=${summary?.traceId};Parent=${stage?.id};Sampled=1`);
    assert.equal(body.seen, `Root=${summary?.traceId};Parent=${fn?.id};Sampled=1`);
  });

  it("continues a caller's trace sent with an Event invoke", async () => {
    const traceId = "1-6a000000-0123456789abcdef01234567";
    const response = await fetch(`${cloud.endpoint}/2015-03-31/functions/orders-fn/invocations`, {
      method: "POST",
      headers: { "x-amz-invocation-type": "Event", "x-amzn-trace-id": `Root=${traceId};Parent=00000000000000aa;Sampled=1` },
      body: "{}",
    });
    assert.equal(response.status, 202);

    const segments = await eventually(() => {
      const found = cloud.monitoring.trace(traceId) ?? [];
      assert.equal(found.length, 2);
      return found;
    });
    const fn = segments.find((segment) => segment.origin === "AWS::Lambda::Function");
    assert.equal(fn?.parentId, "00000000000000aa");
    assert.equal(segments.find((segment) => segment.name === "DynamoDB")?.parentId, fn?.id);
  });

  it("traces nothing on a stage without tracing, and every invocation of an Active function", async () => {
    const before = cloud.monitoring.traces({ limit: 1000 }).length;
    const untraced = await fetch(`${cloud.endpoint}/_aws/execute-api/traced1234/dev/orders`, { method: "POST", body: "{}" });
    assert.equal(((await untraced.json()) as { seen: string }).seen, "");

    await cloud.services.lambda.invoke("active-fn", "{}");

    const traces = await eventually(() => {
      const all = cloud.monitoring.traces({ limit: 1000 });
      assert.equal(all[0]?.segments, 2);
      return all;
    });
    assert.equal(traces.length, before + 1);
    assert.equal(traces[0]?.name, "active-fn");
    assert.equal(cloud.monitoring.trace("1-00000000-000000000000000000000000"), undefined);
  });

  it("keeps a client's decision not to sample: no trace, and the function is told Sampled=0", async () => {
    const before = cloud.monitoring.traces({ limit: 1000 }).length;
    const traceId = "1-6a000000-00000000000000000000beef";
    const response = await fetch(`${cloud.endpoint}/_aws/execute-api/traced1234/prod/orders`, {
      method: "POST",
      body: "{}",
      headers: { "x-amzn-trace-id": `Root=${traceId};Sampled=0` },
    });
    const body = (await response.json()) as { seen: string };
    assert.match(body.seen, new RegExp(`^Root=${traceId};Parent=[0-9a-f]{16};Sampled=0$`));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(cloud.monitoring.traces({ limit: 1000 }).length, before);
  });
});

describe("X-Ray sampling of an Active function's invocations", () => {
  let cloud: LocalCloud;
  const folder = tempDir("xray-sampling-");

  before(async () => {
    // A reservoir of one a second and no fixed rate: only the first invocation of each second is traced.
    cloud = await startLocalCloud({ port: 0, dataDir: "", inMemory: true, traceSampling: { reservoirPerSecond: 1, fixedRate: 0 } });
    const codeDir = join(folder.path, "code");
    mkdirSync(codeDir, { recursive: true });
    writeFileSync(join(codeDir, "index.js"), HANDLER);
    cloud.services.lambda.createFunction({ codeDir, handler: "index.handler", runtime: "nodejs22.x", timeoutSeconds: 3, memorySizeMb: 128, environment: {}, functionName: "busy-fn", displayName: "busy", tracingMode: "Active" });
  });

  after(async () => {
    await cloud.stop();
    folder.remove();
  });

  it("traces as many invocations as the reservoir allows and tells the rest Sampled=0", async () => {
    const startedSecond = Math.floor(Date.now() / 1000);
    const seen: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const result = await cloud.services.lambda.invoke("busy-fn", "{}");
      seen.push((JSON.parse(result.payload) as { body: string }).body);
    }
    const seconds = Math.floor(Date.now() / 1000) - startedSecond + 1;
    const sampled = seen.filter((body) => body.includes("Sampled=1")).length;
    assert.ok(sampled >= 1 && sampled <= seconds, `${sampled} of 6 sampled over ${seconds} second(s)`);
    assert.equal(seen.filter((body) => body.includes("Sampled=0")).length, 6 - sampled);
    // Only the sampled ones made traces: the cloud's segment and the SDK's subsegment each.
    const traces = await eventually(() => {
      const all = cloud.monitoring.traces({ limit: 1000 });
      assert.equal(all.length, sampled);
      assert.ok(all.every((trace) => trace.segments === 2));
      return all;
    });
    assert.ok(traces.every((trace) => trace.name === "busy-fn"));
  });
});
