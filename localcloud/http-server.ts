import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { HttpRequest, HttpResponse } from "./types.ts";

export type RequestHandler = (request: HttpRequest) => Promise<HttpResponse>;

export interface RunningHttpServer {
  /** e.g. "http://127.0.0.1:4566" */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Serves a handler on loopback. Errors thrown by the handler become a 500 with a
 * JSON body, so a bug in an emulator never hangs the client.
 */
export async function startHttpServer(
  handler: RequestHandler,
  options: { port?: number; host?: string } = {},
): Promise<RunningHttpServer> {
  const host = options.host ?? "127.0.0.1";
  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        const body = await readBody(req);
        const response = await handler({
          method: req.method ?? "GET",
          url: req.url ?? "/",
          headers: req.headers,
          body,
          sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
        });
        const payload = response.body === undefined ? Buffer.alloc(0) : Buffer.from(response.body);
        // A HEAD answer (S3's HeadObject) tells the length of the body it does not send.
        const declared = req.method === "HEAD" ? response.headers?.["content-length"] : undefined;
        const headLength = typeof declared === "string" ? declared : undefined;
        res.writeHead(response.statusCode, { ...response.headers, "content-length": headLength ?? String(payload.length) });
        res.end(payload);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ __type: "InternalFailure", message }));
      }
    })();
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
