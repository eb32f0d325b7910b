import type { ClientTokens } from "./client-tokens.ts";
import type { DynaliteBackend } from "./dynalite-backend.ts";
import type { FaultInjection } from "./fault-injection.ts";
import type { LockTable } from "./lock-table.ts";
import type { KeySchemaCache } from "./transaction-items.ts";
import type { WriteJournal } from "./write-journal.ts";

/** What the transaction operations share with the service that runs them. */
export interface TransactionContext {
  readonly backend: DynaliteBackend;
  /**
   * The service's locks (see request-locks.ts). A transaction operation is called
   * holding the service lock shared and takes the locks of its items itself.
   */
  readonly locks: LockTable;
  readonly keySchemas: KeySchemaCache;
  readonly clientTokens: ClientTokens;
  /** Before-images of the write transactions in flight, for recovery after a crash. */
  readonly journal: WriteJournal;
  /** Test-only; see FaultInjection. */
  readonly faultInjection?: FaultInjection;
}
