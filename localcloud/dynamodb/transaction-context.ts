import type { ClientTokens } from "./client-tokens.ts";
import type { DynaliteBackend } from "./dynalite-backend.ts";
import type { ReadWriteLock } from "./rw-lock.ts";

/** What the transaction operations share with the service that runs them. */
export interface TransactionContext {
  readonly backend: DynaliteBackend;
  /** Held exclusively by TransactWriteItems and shared by every other request. */
  readonly lock: ReadWriteLock;
  readonly clientTokens: ClientTokens;
}
