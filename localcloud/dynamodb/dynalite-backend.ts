import { EventEmitter } from "node:events";
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, RequestListener, Server, ServerResponse } from "node:http";
import dynalite from "dynalite";
import type { HttpRequest, HttpResponse } from "../types.ts";
import { UpstreamError } from "./errors.ts";
import { cacheDynaliteExpressions } from "./expressions/dynalite-parsers.ts";

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

/**
 * An embedded dynalite. Requests are handed straight to its HTTP request handler as
 * in-process request and response objects, without a socket: on a loopback connection
 * every DynamoDB call would be written, parsed, answered and parsed once more on this
 * thread. dynalite's handler only reads the request's method, URL, headers and body
 * events and only sets the status, headers and body of the response. The server still
 * listens on loopback, since closing it is what closes dynalite's database.
 */
export class DynaliteBackend {
  private readonly handler: RequestListener;

  private constructor(private readonly server: Server) {
    const [handler] = server.listeners("request") as RequestListener[];
    if (handler === undefined) throw new Error("dynalite's server has no request handler");
    this.handler = handler;
  }

  static async start(path: string | undefined): Promise<DynaliteBackend> {
    // Most requests repeat a handful of expressions; parsing each once is a large share of dynalite's CPU.
    cacheDynaliteExpressions();
    // Zero delays: tables are ACTIVE as soon as CreateTable answers, which deploys rely on.
    const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    return new DynaliteBackend(server);
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
    this.server.closeAllConnections();
    // dynalite's close also closes its LevelDB, releasing the folder's lock for the next start.
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private send(method: string, path: string, headers: OutgoingHttpHeaders, body: Buffer): Promise<HttpResponse> {
    return new Promise<HttpResponse>((resolve, reject) => {
      const request = Object.assign(new EventEmitter(), { method, url: path, headers: incomingHeaders(headers) });
      const response = new InProcessResponse((answer) => resolve(answer));
      try {
        this.handler(request as unknown as IncomingMessage, response as unknown as ServerResponse);
        if (body.length > 0) request.emit("data", body);
        request.emit("end");
      } catch (error) {
        reject(error);
      }
    });
  }
}

/** Header names in lower case, as Node gives them to a server. */
function incomingHeaders(headers: OutgoingHttpHeaders): IncomingHttpHeaders {
  const incoming: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) incoming[name.toLowerCase()] = typeof value === "number" ? String(value) : value;
  }
  return incoming;
}

/** The part of ServerResponse dynalite's handler uses; `end` hands over the answer. */
class InProcessResponse {
  statusCode = 200;
  /** dynalite keeps the content type it will answer with here. */
  contentType: string | undefined;
  private readonly headers: Record<string, string> = {};

  constructor(private readonly done: (response: HttpResponse) => void) {}

  setHeader(name: string, value: string | number): this {
    this.headers[name.toLowerCase()] = String(value);
    return this;
  }

  end(body?: string | Buffer): this {
    const bytes = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
    this.done({ statusCode: this.statusCode, headers: responseHeaders(this.headers), body: bytes });
    return this;
  }
}

function responseHeaders(headers: IncomingHttpHeaders | Record<string, string>): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  }
  return kept;
}
