import type { ClientTokens } from "./client-tokens.ts";
import type { DynaliteBackend } from "./dynalite-backend.ts";
import type { FaultInjection } from "./fault-injection.ts";
import type { ReadWriteLock } from "./rw-lock.ts";
import type { WriteJournal } from "./write-journal.ts";

/** What the transaction operations share with the service that runs them. */
export interface TransactionContext {
  readonly backend: DynaliteBackend;
  /** Held exclusively by TransactWriteItems and shared by every other request. */
  readonly lock: ReadWriteLock;
  readonly clientTokens: ClientTokens;
  /** Before-images of the write transaction in flight, for recovery after a crash. */
  readonly journal: WriteJournal;
  /** Test-only; see FaultInjection. */
  readonly faultInjection?: FaultInjection;
}
