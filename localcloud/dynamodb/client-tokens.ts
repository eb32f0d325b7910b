import { createHash } from "node:crypto";
import { DynamoDbApiError } from "./errors.ts";
import { isRecord } from "./transaction-items.ts";

const WINDOW_MS = 10 * 60 * 1000;
const MAX_REMEMBERED = 100_000;

interface Remembered {
  readonly fingerprint: string;
  readonly expiresAt: number;
}

export class IdempotentParameterMismatchError extends DynamoDbApiError {
  override readonly name = "IdempotentParameterMismatchError";
  constructor() {
    super(
      "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException",
      "The request uses the same client token as a previous, but non-identical request.",
    );
  }
}

/**
 * ClientRequestToken idempotency for TransactWriteItems: a token that committed in
 * the last ten minutes commits nothing again (the SDK reuses the token when it retries
 * a request whose answer was lost), and the same token with other items is refused.
 * Only successful transactions are remembered, so a cancelled one may be retried.
 */
export class ClientTokens {
  private readonly committed = new Map<string, Remembered>();

  /** True when this token already committed these very items; throws when it committed other ones. */
  alreadyCommitted(input: unknown, now = Date.now()): boolean {
    const token = tokenOf(input);
    if (token === undefined) return false;
    const remembered = this.committed.get(token);
    if (remembered === undefined || remembered.expiresAt <= now) return false;
    if (remembered.fingerprint !== fingerprintOf(input)) throw new IdempotentParameterMismatchError();
    return true;
  }

  remember(input: unknown, now = Date.now()): void {
    const token = tokenOf(input);
    if (token === undefined) return;
    this.forgetExpired(now);
    this.committed.delete(token);
    this.committed.set(token, { fingerprint: fingerprintOf(input), expiresAt: now + WINDOW_MS });
  }

  /** Entries expire in insertion order, so the oldest are at the front of the map. */
  private forgetExpired(now: number): void {
    for (const [token, remembered] of this.committed) {
      if (remembered.expiresAt > now && this.committed.size < MAX_REMEMBERED) return;
      this.committed.delete(token);
    }
  }
}

function tokenOf(input: unknown): string | undefined {
  const token = isRecord(input) ? input["ClientRequestToken"] : undefined;
  return typeof token === "string" && token !== "" ? token : undefined;
}

function fingerprintOf(input: unknown): string {
  const items = isRecord(input) ? input["TransactItems"] : undefined;
  return createHash("sha256").update(JSON.stringify(items)).digest("base64");
}
