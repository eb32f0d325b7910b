import { Agent, request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import dynalite from "dynalite";
import type { HttpRequest, HttpResponse } from "../types.ts";
import { UpstreamError } from "./errors.ts";

/** Headers that describe one hop, not the message; Node sets its own. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "host", "upgrade"]);

/** The headers dynalite checks before it looks at a request (it never verifies signatures). */
const AUTH_HEADERS = ["authorization", "x-amz-date", "date", "x-amz-security-token"] as const;

export type AuthHeaders = Partial<Record<(typeof AUTH_HEADERS)[number], string>>;

export function authHeadersOf(headers: IncomingHttpHeaders): AuthHeaders {
  const auth: AuthHeaders = {};
  for (const name of AUTH_HEADERS) {
    const value = headers[name];
    if (typeof value === "string") auth[name] = value;
  }
  return auth;
}

/** An embedded dynalite listening on loopback, reached over HTTP through a keep-alive agent. */
export class DynaliteBackend {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  private constructor(private readonly server: Server, private readonly port: number) {}

  static async start(path: string | undefined): Promise<DynaliteBackend> {
    // Zero delays: tables are ACTIVE as soon as CreateTable answers, which deploys rely on.
    const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    return new DynaliteBackend(server, (server.address() as AddressInfo).port);
  }

  /** Sends a client's request on unchanged and returns dynalite's answer. */
  forward(request: HttpRequest): Promise<HttpResponse> {
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    }
    return this.send(request.method, request.url, headers, request.body);
  }

  /**
   * Calls one DynamoDB operation with the client's credentials headers, so dynalite
   * applies the same authentication checks it applies to forwarded requests.
   * Resolves to the parsed answer; rejects with UpstreamError on any error answer.
   */
  async call(operation: string, payload: unknown, auth: AuthHeaders): Promise<Record<string, unknown>> {
    const headers: OutgoingHttpHeaders = {
      ...auth,
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": `DynamoDB_20120810.${operation}`,
    };
    const response = await this.send("POST", "/", headers, Buffer.from(JSON.stringify(payload)));
    const text = response.body === undefined ? "" : response.body.toString();
    const parsed: unknown = text === "" ? {} : JSON.parse(text);
    const answer = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
    if (response.statusCode !== 200) {
      const awsType = typeof answer["__type"] === "string" ? answer["__type"] : "UnknownError";
      throw new UpstreamError(response, awsType);
    }
    return answer;
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    this.server.closeAllConnections();
    // dynalite's close also closes its LevelDB, releasing the folder's lock for the next start.
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private send(method: string, path: string, headers: OutgoingHttpHeaders, body: Buffer): Promise<HttpResponse> {
    return new Promise<HttpResponse>((resolve, reject) => {
      const outgoing = httpRequest(
        { host: "127.0.0.1", port: this.port, method, path, agent: this.agent, headers: { ...headers, "content-length": body.length } },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
          incoming.on("error", reject);
          incoming.on("end", () =>
            resolve({ statusCode: incoming.statusCode ?? 500, headers: responseHeaders(incoming.headers), body: Buffer.concat(chunks) }),
          );
        },
      );
      outgoing.on("error", reject);
      outgoing.end(body);
    });
  }
}

function responseHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  }
  return kept;
}
