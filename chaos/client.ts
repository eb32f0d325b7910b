/**
 * The order client: every order carries an Idempotency-Key, and whatever did
 * not get a definite answer (connection refused or reset, a timeout, a 5xx) is
 * sent again with the same key, so a retry can never place a second order.
 * Each order goes with its user's access token and the load-test API key; a 401
 * signs that user in again and sends the order once more.
 */
import { randomUUID } from "node:crypto";
import { Agent, request } from "node:http";
import { authHeaders, SignInError, type SessionTokens } from "../bench/session-tokens.ts";

export interface OrderBody {
  readonly userId: string;
  readonly ticker: string;
  readonly quantity: number;
  readonly side: "BUY" | "SELL";
}

export type Answer = { readonly status: number; readonly body: string } | { readonly status: 0; readonly error: string };

/** What happened to one order the client placed. */
export interface PlacedOrder {
  readonly index: number;
  readonly key: string;
  readonly body: OrderBody;
  attempts: number;
  /** Attempts that got no HTTP answer (endpoint down, reset, timeout). */
  connectionFailures: number;
  serverErrors: number;
  /** Answers 401 (the token had expired or was no longer valid), each followed by a new sign-in. */
  unauthorized: number;
  /** Every distinct orderId a 202 returned for this key: more than one is a doubled order. */
  readonly orderIds: Set<string>;
  /** The last non-retried answer's status (202, or a 4xx), or 0 if the client gave up. */
  finalStatus: number;
  finalCode?: string;
  /** A second, deliberate send of the same request after a 202 (a client that retries too eagerly). */
  replayed: boolean;
}

export interface OrderClient {
  place(index: number, body: OrderBody, options: { replay: boolean; deadline: number }): Promise<PlacedOrder>;
  close(): void;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function post(agent: Agent, url: string, key: string, body: OrderBody, headers: Readonly<Record<string, string>>, timeoutMs: number): Promise<Answer> {
  const payload = JSON.stringify(body);
  return new Promise((resolve) => {
    const req = request(url, {
      method: "POST",
      agent,
      headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(payload), "idempotency-key": key },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", (error: NodeJS.ErrnoException) => resolve({ status: 0, error: error.code ?? error.name }));
    });
    const timer = setTimeout(() => {
      resolve({ status: 0, error: "TIMEOUT" });
      req.destroy();
    }, timeoutMs);
    req.on("close", () => clearTimeout(timer));
    req.on("error", (error: NodeJS.ErrnoException) => resolve({ status: 0, error: error.code ?? error.name }));
    req.end(payload);
  });
}

/** A field of the answer, or of its `error` object (where the API puts its error code). */
function field(body: string, name: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const nested = typeof parsed.error === "object" && parsed.error !== null ? (parsed.error as Record<string, unknown>)[name] : undefined;
    const value = parsed[name] ?? nested;
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

export interface OrderClientOptions {
  readonly tokens: SessionTokens;
  /** The load-test plan's API key. */
  readonly apiKey: string;
  readonly timeoutMs?: number;
  readonly maxAttempts?: number;
}

export function orderClient(ordersUrl: string, options: OrderClientOptions): OrderClient {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxAttempts = options.maxAttempts ?? 60;

  /** Sends until a definite answer, backing off up to 2 s, within the attempt and time bounds. */
  async function untilAnswered(order: PlacedOrder, deadline: number): Promise<void> {
    for (let attempt = 1; attempt <= maxAttempts && Date.now() < deadline; attempt++) {
      let token: string;
      try {
        token = await options.tokens.token(order.body.userId);
      } catch (error) {
        if (!(error instanceof SignInError)) throw error;
        if (!error.retryable) {
          order.finalStatus = error.status;
          order.finalCode = "SIGN_IN_REFUSED";
          return;
        }
        if (error.status === 0) order.connectionFailures++;
        else order.serverErrors++;
        await sleep(Math.min(3000, 250 * attempt));
        continue;
      }
      order.attempts++;
      const answer = await post(agent, ordersUrl, order.key, order.body, authHeaders(options.apiKey, token), timeoutMs);
      if (answer.status === 401) {
        // A token the authorizer no longer takes: sign in again; a failed sign-in is retried by the next pass.
        order.unauthorized++;
        await options.tokens.renew(order.body.userId, token).catch(() => undefined);
        if (order.unauthorized > 1) await sleep(Math.min(3000, 250 * attempt)); // refused again with a fresh token: do not spin
        continue;
      }
      if ("body" in answer && answer.status === 202) {
        const orderId = field(answer.body, "orderId");
        if (orderId) order.orderIds.add(orderId);
        order.finalStatus = 202;
        return;
      }
      // Only the API's own refusals (a 4xx with an error code) are final; a bare 404 comes from a
      // gateway that is up but still deploying the API after a restart, so it is retried.
      const code = "body" in answer ? field(answer.body, "code") : undefined;
      if (code && answer.status >= 400 && answer.status < 500 && answer.status !== 429) {
        order.finalStatus = answer.status;
        order.finalCode = code;
        return;
      }
      if (answer.status === 0) order.connectionFailures++;
      else order.serverErrors++;
      await sleep(Math.min(3000, 250 * attempt)); // backing off keeps retries from swamping a cloud that is catching up
    }
    order.finalStatus = 0;
  }

  return {
    async place(index, body, { replay, deadline }) {
      const order: PlacedOrder = { index, key: `chaos-${randomUUID()}`, body, attempts: 0, connectionFailures: 0, serverErrors: 0, unauthorized: 0, orderIds: new Set(), finalStatus: 0, replayed: false };
      await untilAnswered(order, deadline);
      if (replay && order.finalStatus === 202) {
        order.replayed = true;
        await untilAnswered(order, deadline);
      }
      return order;
    },
    close: () => agent.destroy(),
  };
}
