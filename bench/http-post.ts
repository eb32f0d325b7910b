import { Agent, request } from "node:http";

/** What one POST came to: an HTTP status, or a failure without one. */
export type PostOutcome =
  | { readonly kind: "status"; readonly status: number; readonly body: string }
  | { readonly kind: "timeout" }
  | { readonly kind: "error"; readonly code: string };

export type Post = (url: string, body: unknown, headers?: Readonly<Record<string, string>>) => Promise<PostOutcome>;

export interface JsonPoster {
  readonly post: Post;
  close(): void;
}

/** A keep-alive HTTP client that never throws: every request ends in a PostOutcome within timeoutMs. */
export function jsonPoster(options: { maxSockets: number; timeoutMs: number }): JsonPoster {
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets });
  return {
    post(url, body, headers = {}) {
      const payload = JSON.stringify(body);
      return new Promise<PostOutcome>((resolve) => {
        const req = request(
          url,
          { method: "POST", agent, headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(payload) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () => resolve({ kind: "status", status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
            res.on("error", (error: NodeJS.ErrnoException) => resolve({ kind: "error", code: error.code ?? error.name }));
          },
        );
        // The timer covers waiting for a socket too, so queueing inside the agent counts against it.
        const timer = setTimeout(() => {
          resolve({ kind: "timeout" });
          req.destroy();
        }, options.timeoutMs);
        req.on("close", () => clearTimeout(timer));
        req.on("error", (error: NodeJS.ErrnoException) => resolve({ kind: "error", code: error.code ?? error.name }));
        req.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}
