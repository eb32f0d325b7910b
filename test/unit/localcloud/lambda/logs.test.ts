import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { LambdaService } from "../../../../localcloud/lambda/lambda-service.ts";
import { testCloud, type TestCloud } from "./fixtures.ts";

const powertoolsLogger = createRequire(import.meta.url).resolve("@aws-lambda-powertools/logger");

describe("Lambda logs", () => {
  let cloud: TestCloud;
  let lambda: LambdaService;

  before(() => {
    cloud = testCloud();
    lambda = new LambdaService(cloud.ctx);
  });

  after(async () => {
    await lambda.stop();
    cloud.cleanup();
  });

  test("what a handler prints reaches the sink line by line, between START and END, under the display name", async () => {
    const config = cloud.bundle(
      "chatty",
      `const { Logger } = require(${JSON.stringify(powertoolsLogger)});
       const logger = new Logger({ serviceName: "brokerage" });
       exports.handler = async (event, context) => {
         console.log("first line\\nsecond line");
         console.error("to stderr");
         logger.info("order accepted", { orderId: event.orderId });
         return "ok";
       };`,
    );
    lambda.createFunction(config);

    const result = await lambda.invoke(config.functionName, JSON.stringify({ orderId: "o-42" }));

    assert.equal(result.payload, '"ok"');
    const lines = cloud.logs.filter((entry) => entry.source === "chatty").map((entry) => entry.line);
    const index = (predicate: (line: string) => boolean) => lines.findIndex(predicate);
    const start = index((line) => /^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/.test(line));
    const end = index((line) => line.startsWith("END RequestId: "));
    const report = index((line) => line.startsWith("REPORT RequestId: "));
    assert.ok(start >= 0 && end > start && report > end, lines.join("\n"));
    for (const expected of ["first line", "second line", "to stderr"]) {
      const at = lines.indexOf(expected);
      assert.ok(at > start && at < end, `"${expected}" between START and END:\n${lines.join("\n")}`);
    }
    const json = lines.find((line) => line.includes("order accepted"));
    assert.ok(json !== undefined, lines.join("\n"));
    const structured = JSON.parse(json);
    assert.equal(structured.message, "order accepted");
    assert.equal(structured.orderId, "o-42");
    assert.equal(structured.service, "brokerage");
    assert.match(
      lines[report] ?? "",
      /^REPORT RequestId: [0-9a-f-]{36} Duration: \d+\.\d{2} ms Billed Duration: \d+ ms Memory Size: 128 MB Max Memory Used: \d+ MB Init Duration: \d+\.\d{2} ms$/,
      "a cold start's REPORT line gives its init",
    );
  });

  test("each line names the log stream of its sandbox, so concurrent invocations' lines can be told apart", async () => {
    const config = cloud.bundle(
      "twins",
      `exports.handler = async (event) => {
         console.log("begin " + event.id);
         await new Promise((done) => setTimeout(done, 300));
         console.log("finish " + event.id);
         return event.id;
       };`,
    );
    lambda.createFunction(config);

    await Promise.all(["a", "b"].map((id) => lambda.invoke(config.functionName, JSON.stringify({ id }))));

    const lines = cloud.logs.filter((entry) => entry.source === "twins");
    assert.ok(lines.every((entry) => entry.stream !== undefined), "every line has a stream");
    const streamOf = (text: string) => lines.find((entry) => entry.line === text)?.stream;
    assert.equal(streamOf("begin a"), streamOf("finish a"));
    assert.equal(streamOf("begin b"), streamOf("finish b"));
    assert.notEqual(streamOf("begin a"), streamOf("begin b"), "two sandboxes ran them at once");
    for (const id of ["a", "b"]) {
      const stream = streamOf(`begin ${id}`);
      assert.deepEqual(lines.filter((entry) => entry.stream === stream).map((entry) => entry.line.split(" ")[0]), ["START", "begin", "finish", "END", "REPORT"]);
    }
  });
});
