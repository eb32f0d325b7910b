import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The best the accept path could do on this machine: a bare Node server that reads
 * the body and answers 202, with none of the routing, Lambda or storage work.
 */
export async function startBareServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(202, { "content-type": "application/json" });
      res.end('{"orderId":"ceiling","status":"ACCEPTED"}');
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/orders`,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
