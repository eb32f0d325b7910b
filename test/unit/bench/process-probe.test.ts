import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { after, before, describe, it } from "node:test";
import { endpointProbe, listeningPid, pidProbe, selfProbe } from "../../../bench/process-probe.ts";

/** A separate process that listens on a port and burns CPU on its main thread until killed. */
const LISTENER = `
  const server = require("node:http").createServer((req, res) => res.end("ok"));
  server.listen(0, "127.0.0.1", () => console.log(server.address().port));
  setInterval(() => { const end = Date.now() + 50; while (Date.now() < end); }, 60);
`;

describe("the bench's process probe", () => {
  let child: ChildProcess;
  let port: number;

  before(async () => {
    child = spawn(process.execPath, ["-e", LISTENER], { stdio: ["ignore", "pipe", "inherit"] });
    const [chunk] = (await once(child.stdout!, "data")) as [Buffer];
    port = Number(chunk.toString().trim());
  });
  after(() => {
    child.kill("SIGKILL");
  });

  it("finds the process listening on a port", () => {
    assert.equal(listeningPid(port), child.pid);
  });

  it("finds nothing on a port no one listens on", async () => {
    const probe = createServer();
    await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
    const free = (probe.address() as { port: number }).port;
    await new Promise<void>((done) => probe.close(() => done()));
    assert.equal(listeningPid(free), undefined);
  });

  it("reads another process's CPU, main-thread CPU and memory as they grow", async () => {
    const probe = pidProbe(child.pid!);
    const first = probe.read();
    assert.ok(first);
    // Until the busy loop has had its share of a core: on a busy machine that takes longer than on an idle one.
    let second = probe.read();
    for (const deadline = Date.now() + 15_000; second && second.mainThreadMs - first.mainThreadMs < 200 && Date.now() < deadline; second = probe.read()) {
      await new Promise((done) => setTimeout(done, 100));
    }
    assert.ok(second);
    assert.ok(second.cpuMs - first.cpuMs >= 200, `the busy loop used ${second.cpuMs - first.cpuMs} ms`);
    assert.ok(second.mainThreadMs - first.mainThreadMs >= 200, "the busy loop runs on its main thread");
    assert.ok(second.mainThreadMs <= second.cpuMs);
    assert.ok(second.rssMb > 10 && second.rssMb < 1000, `RSS ${second.rssMb} MB`);
    assert.equal(probe.includesClient, false);
  });

  it("follows a local endpoint to its process, and not a remote one", () => {
    assert.match(endpointProbe(`http://127.0.0.1:${port}`)?.label ?? "", new RegExp(`^pid ${child.pid} `));
    assert.equal(endpointProbe("https://dynamodb.us-east-1.amazonaws.com"), undefined);
  });

  it("reads nothing from a process that is gone", () => {
    assert.equal(pidProbe(2 ** 22 + 12345).read(), undefined);
  });

  it("reads this process, the client included", () => {
    const reading = selfProbe().read();
    assert.ok(reading && reading.cpuMs >= reading.mainThreadMs && reading.rssMb > 10);
    assert.equal(selfProbe().includesClient, true);
  });
});
