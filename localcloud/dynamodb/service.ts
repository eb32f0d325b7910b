import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { CloudContext, HttpRequest, HttpResponse, Service } from "../types.ts";
import { ClientTokens } from "./client-tokens.ts";
import { authHeadersOf, DynaliteBackend, type AuthHeaders } from "./dynalite-backend.ts";
import { DynamoDbApiError, UpstreamError } from "./errors.ts";
import type { FaultInjection } from "./fault-injection.ts";
import { recoverAndOpenJournal } from "./journal-recovery.ts";
import { jsonResponse } from "./json-response.ts";
import { LockTable } from "./lock-table.ts";
import { locksForForwarded, SERVICE_LOCK, TABLE_ADMIN_OPERATIONS } from "./request-locks.ts";
import { transactGetItems } from "./transact-get.ts";
import { transactWriteItems } from "./transact-write.ts";
import type { TransactionContext } from "./transaction-context.ts";
import { KeySchemaCache, KeySchemas } from "./transaction-items.ts";
import { NO_JOURNAL, type WriteJournal } from "./write-journal.ts";

export interface DynamoDbStartOptions {
  /** Delete the persisted tables before starting. */
  readonly reset?: boolean;
  /** Keep everything in memory; nothing is written under the data folder. */
  readonly inMemory?: boolean;
  /** Test-only: stop TransactWriteItems dead part-way, to test crash recovery. */
  readonly faultInjection?: FaultInjection;
}

type Transaction = (context: TransactionContext, input: unknown, auth: AuthHeaders) => Promise<HttpResponse>;

/** The operations dynalite lacks, answered here in front of it. */
const TRANSACTIONS: Readonly<Record<string, Transaction>> = {
  "DynamoDB_20120810.TransactWriteItems": transactWriteItems,
  "DynamoDB_20120810.TransactGetItems": transactGetItems,
};

const TARGET_PREFIX = "DynamoDB_20120810.";

/**
 * DynamoDB for the local cloud: dynalite (LevelDB under `<dataDir>/dynamodb`) serves
 * every operation it knows; transactions are implemented here. Every request holds the
 * locks of the items (or, for queries and scans, of the tables) it touches, and a write
 * transaction holds its items' locks exclusively (request-locks.ts), so no request
 * observes or interleaves with a half-applied transaction, while requests on different
 * items run at the same time. A transaction the previous process was killed in the
 * middle of is rolled back before anything is served.
 */
export class DynamoDbService implements Service {
  private readonly locks = new LockTable();
  private readonly keySchemas: KeySchemaCache;
  private readonly transactions: TransactionContext;

  private constructor(
    private readonly ctx: CloudContext,
    private readonly backend: DynaliteBackend,
    private readonly journal: WriteJournal,
    faultInjection: FaultInjection | undefined,
  ) {
    this.keySchemas = new KeySchemaCache(backend);
    this.transactions = { backend, locks: this.locks, keySchemas: this.keySchemas, clientTokens: new ClientTokens(), journal, faultInjection };
  }

  static async start(ctx: CloudContext, options: DynamoDbStartOptions = {}): Promise<DynamoDbService> {
    let path: string | undefined;
    if (!options.inMemory) {
      path = join(ctx.dataDir, "dynamodb");
      if (options.reset) rmSync(path, { recursive: true, force: true });
      mkdirSync(path, { recursive: true });
    }
    const backend = await DynaliteBackend.start(path);
    let journal = NO_JOURNAL;
    try {
      if (path !== undefined) journal = await recoverAndOpenJournal(path, backend, (line) => ctx.log("dynamodb", line));
    } catch (error) {
      await backend.stop();
      throw error;
    }
    return new DynamoDbService(ctx, backend, journal, options.faultInjection);
  }

  async handle(request: HttpRequest): Promise<HttpResponse> {
    const target = request.headers["x-amz-target"];
    const operation = typeof target === "string" && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
    const transaction = typeof target === "string" ? TRANSACTIONS[target] : undefined;
    if (TABLE_ADMIN_OPERATIONS.has(operation)) return this.runAlone(request);
    // The service lock first, since the other locks' names need the tables' key schemas.
    const releaseService = await this.locks.acquire([{ name: SERVICE_LOCK, mode: "shared" }]);
    try {
      if (transaction !== undefined) return await this.runTransaction(transaction, request);
      const locks = await locksForForwarded(operation, parseJson(request.body), new KeySchemas(this.keySchemas, authHeadersOf(request.headers)));
      if (locks.kind === "alone") {
        releaseService();
        return await this.runAlone(request);
      }
      return await this.locks.withLocks(locks.locks, () => this.backend.forward(request));
    } finally {
      releaseService();
    }
  }

  async stop(): Promise<void> {
    // Waiting for the service lock exclusively lets requests in flight finish first.
    await this.locks.withLocks([{ name: SERVICE_LOCK, mode: "exclusive" }], async () => {
      await this.backend.stop();
      await this.journal.close();
    });
  }

  /** Table operations, and requests whose items cannot be told, run with nothing else in flight. */
  private runAlone(request: HttpRequest): Promise<HttpResponse> {
    return this.locks.withLocks([{ name: SERVICE_LOCK, mode: "exclusive" }], async () => {
      try {
        return await this.backend.forward(request);
      } finally {
        // A table may have been created, deleted or re-created with another key.
        this.keySchemas.forget();
      }
    });
  }

  private async runTransaction(transaction: Transaction, request: HttpRequest): Promise<HttpResponse> {
    let input: unknown;
    try {
      input = JSON.parse(request.body.toString("utf8"));
    } catch {
      return jsonResponse(400, { __type: "com.amazon.coral.service#SerializationException" });
    }
    try {
      return await transaction(this.transactions, input, authHeadersOf(request.headers));
    } catch (error) {
      if (error instanceof DynamoDbApiError) return error.toResponse();
      if (error instanceof UpstreamError) return error.response;
      const message = error instanceof Error ? error.message : String(error);
      this.ctx.log("dynamodb", `transaction failed unexpectedly: ${message}`);
      return jsonResponse(500, { __type: "com.amazonaws.dynamodb.v20120810#InternalServerError", message });
    }
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}
