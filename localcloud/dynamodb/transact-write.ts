import type { HttpResponse } from "../types.ts";
import type { AuthHeaders, DynaliteBackend } from "./dynalite-backend.ts";
import { TransactionCanceledError, UpstreamError, type CancellationReason } from "./errors.ts";
import { applyUntilCrash } from "./fault-injection.ts";
import { jsonResponse } from "./json-response.ts";
import type { LockRequest } from "./lock-table.ts";
import { clientTokenLock, itemLock, tableLock } from "./request-locks.ts";
import type { TransactionContext } from "./transaction-context.ts";
import { itemSize, readUnits, writeUnits } from "../metering/capacity-units.ts";
import { assertDistinctItems, consumedCapacity, isRecord, KeySchemas, transactItemsOf, type AttributeMap, type EntryUnits } from "./transaction-items.ts";
import { conditionalWrite, parseWriteAction, restoreWrite, type WriteAction } from "./write-actions.ts";
import type { BeforeImage } from "./write-journal.ts";

type Outcome = { readonly status: "applied"; readonly after?: AttributeMap } | { readonly status: "conditionFailed" } | { readonly status: "failed"; readonly error: unknown };

/**
 * TransactWriteItems on top of dynalite's single-item writes.
 *
 * Why this is all-or-nothing and isolated without an expression evaluator of our own:
 * the transaction holds every one of its items' locks exclusively, and its tables'
 * locks in "write" mode, for as long as it runs (see request-locks.ts), so no other
 * request reads or writes those items, or queries those tables, meanwhile; transactions
 * on other items run at the same time. Inside them we snapshot every item (consistent GetItem),
 * then let dynalite apply each entry with its own condition. Entries name distinct
 * items, so applying one cannot change another's condition: every condition is judged
 * against the state before the transaction, as DynamoDB does. If any entry fails, the
 * entries that were applied are put back from their snapshots before the locks are released.
 *
 * A process killed mid-way cannot put anything back, so when more than one entry
 * changes an item the snapshots are first written to the journal (synced to disk)
 * and the journal is cleared only after commit or rollback, before the answer is
 * sent; the next start rolls back whatever the journal still holds. A single
 * changing entry needs no journal: one dynalite write is atomic on its own. Each
 * transaction in flight has its own journal record; their items are disjoint.
 */
export async function transactWriteItems(context: TransactionContext, input: unknown, auth: AuthHeaders): Promise<HttpResponse> {
  const { backend, locks, keySchemas, clientTokens, journal } = context;
  const schemas = new KeySchemas(keySchemas, auth);
  const actions = await Promise.all(transactItemsOf(input).map((entry) => parseWriteAction(entry, schemas)));
  assertDistinctItems(actions);

  let units: EntryUnits[] = [];
  await locks.withLocks(transactionLocks(input, actions), async () => {
    if (clientTokens.alreadyCommitted(input)) return;
    const snapshots = await Promise.all(actions.map((action) => readItem(backend, action, auth)));
    const images = beforeImagesOf(actions, snapshots);
    const record = images.length > 1 ? await journal.begin(images) : undefined;
    const outcomes = await applyAll(context, actions, snapshots, auth);
    const committed = outcomes.every((outcome) => outcome.status === "applied");
    if (!committed) {
      await Promise.all(
        actions.map((action, index) =>
          outcomes[index]?.status === "applied" && action.kind !== "ConditionCheck"
            ? call(backend, restoreWrite(action, snapshots[index]), auth)
            : undefined,
        ),
      );
    }
    // Cleared only now: until here a crash must undo whatever was applied.
    await record?.end();
    if (committed) {
      clientTokens.remember(input);
      units = entryUnits(actions, snapshots, outcomes);
      return;
    }
    const failure = outcomes.find((outcome) => outcome.status === "failed");
    if (failure !== undefined) throw failure.error;
    throw new TransactionCanceledError(
      actions.map((action, index) => cancellationReason(action, outcomes[index], snapshots[index])),
    );
  });
  return jsonResponse(200, consumedCapacity(input, units));
}

/**
 * What each entry of a committed transaction consumed: a write 2 units per 1 KB of the
 * larger of the item before and after, a ConditionCheck 2 read units per 4 KB of the item.
 */
function entryUnits(actions: readonly WriteAction[], snapshots: readonly (AttributeMap | undefined)[], outcomes: readonly Outcome[]): EntryUnits[] {
  return actions.map((action, index) => {
    const before = itemSize(snapshots[index]);
    if (action.kind === "ConditionCheck") return { tableName: action.tableName, readUnits: readUnits(before, "transactional"), writeUnits: 0 };
    const outcome = outcomes[index];
    const after = outcome?.status === "applied" ? itemSize(outcome.after) : 0;
    return { tableName: action.tableName, readUnits: 0, writeUnits: writeUnits(before, after, true) };
  });
}

/**
 * Every item exclusively, every table written in "write" mode (so queries wait), and the
 * client token, so that two requests with one token never both commit.
 */
function transactionLocks(input: unknown, actions: readonly WriteAction[]): LockRequest[] {
  const locks: LockRequest[] = actions.flatMap((action) => [
    { name: itemLock(action.tableName, action.key), mode: "exclusive" as const },
    { name: tableLock(action.tableName), mode: "write" as const },
  ]);
  const token = isRecord(input) ? input["ClientRequestToken"] : undefined;
  if (typeof token === "string" && token !== "") locks.push({ name: clientTokenLock(token), mode: "exclusive" });
  return locks;
}

/** The snapshots of the entries that change an item; a ConditionCheck writes nothing new. */
function beforeImagesOf(actions: readonly WriteAction[], snapshots: readonly (AttributeMap | undefined)[]): BeforeImage[] {
  return actions.flatMap((action, index) =>
    action.kind === "ConditionCheck" ? [] : [{ tableName: action.tableName, key: action.key, item: snapshots[index] ?? null }],
  );
}

/** All entries at once; one by one only when a test injects a crash part-way. */
function applyAll(
  { backend, faultInjection }: TransactionContext,
  actions: readonly WriteAction[],
  snapshots: readonly (AttributeMap | undefined)[],
  auth: AuthHeaders,
): Promise<Outcome[]> {
  const entries = actions.map((action, index) => ({ action, before: snapshots[index] }));
  const applyOne = ({ action, before }: (typeof entries)[number]) => apply(backend, action, before, auth);
  if (faultInjection !== undefined) return applyUntilCrash(entries, applyOne, faultInjection);
  return Promise.all(entries.map(applyOne));
}

async function readItem(backend: DynaliteBackend, action: WriteAction, auth: AuthHeaders): Promise<AttributeMap | undefined> {
  const answer = await backend.call("GetItem", { TableName: action.tableName, Key: action.key, ConsistentRead: true }, auth);
  const item = answer["Item"];
  return isRecord(item) ? item : undefined;
}

async function apply(
  backend: DynaliteBackend,
  action: WriteAction,
  before: AttributeMap | undefined,
  auth: AuthHeaders,
): Promise<Outcome> {
  try {
    const write = conditionalWrite(action, before);
    const answer = await backend.call(write.operation, write.payload, auth);
    return { status: "applied", after: afterImage(action, answer) };
  } catch (error) {
    if (error instanceof UpstreamError && error.awsType.endsWith("#ConditionalCheckFailedException")) {
      return { status: "conditionFailed" };
    }
    return { status: "failed", error };
  }
}

/** The item as the entry left it: a Put's item, an Update's new image (asked for with ALL_NEW), nothing after a Delete. */
function afterImage(action: WriteAction, answer: Record<string, unknown>): AttributeMap | undefined {
  if (action.kind === "Put") return isRecord(action.params["Item"]) ? action.params["Item"] : undefined;
  if (action.kind === "Update") return isRecord(answer["Attributes"]) ? answer["Attributes"] : undefined;
  return undefined;
}

function call(backend: DynaliteBackend, write: { operation: string; payload: unknown }, auth: AuthHeaders): Promise<unknown> {
  return backend.call(write.operation, write.payload, auth);
}

function cancellationReason(action: WriteAction, outcome: Outcome | undefined, before: AttributeMap | undefined): CancellationReason {
  if (outcome?.status !== "conditionFailed") return { Code: "None" };
  const reason = { Code: "ConditionalCheckFailed", Message: "The conditional request failed" };
  return action.returnOldItemOnFailure && before !== undefined ? { ...reason, Item: before } : reason;
}
