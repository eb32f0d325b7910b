/**
 * A stand-in for DynamoDB and SQS that answers every call at once with a canned answer,
 * run in its own process by sdk-floor.ts so that none of its work lands on the thread
 * being measured; GET /cpu tells its own CPU time, the least any server spends on a call.
 * Prints its port on stdout when it listens.
 */
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const PROFILE = { pk: { S: "USER#1" }, sk: { S: "PROFILE" }, name: { S: "Ana" }, cash: { M: { BRL: { N: "10000000" }, USD: { N: "10000000" } } }, tradeVersion: { N: "7" } };

function answer(target: string, body: string): unknown {
  switch (target) {
    case "AmazonSQS.SendMessage": {
      const { MessageBody = "" } = JSON.parse(body) as { MessageBody?: string };
      return { MessageId: "00000000-0000-4000-8000-000000000000", MD5OfMessageBody: createHash("md5").update(MessageBody).digest("hex") };
    }
    case "DynamoDB_20120810.Query":
      return { Items: [PROFILE], Count: 1, ScannedCount: 1 };
    default:
      return {};
  }
}

const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/cpu") {
    // This process's CPU so far, for the caller to take the stub's own cost per call.
    const { user, system } = process.cpuUsage();
    res.end(JSON.stringify({ micros: user + system }));
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const target = String(req.headers["x-amz-target"] ?? "");
    const payload = JSON.stringify(answer(target, Buffer.concat(chunks).toString("utf8")));
    res.writeHead(200, { "content-type": "application/x-amz-json-1.0", "content-length": Buffer.byteLength(payload) });
    res.end(payload);
  });
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
