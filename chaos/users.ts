import { centsFromDecimal } from "../domain/money.ts";
import { ensureLoadTestUsers } from "../bench/load-users.ts";
import type { UserAdminTarget } from "../ops/user-admin.ts";
import { chaosUserId } from "./order-plan.ts";

/** Enough for most buys, not all: INSUFFICIENT_FUNDS must show up as a normal rejection. */
export const CHAOS_CASH = { BRL: centsFromDecimal("20000.00"), USD: centsFromDecimal("30000.00") };

/**
 * Creates chaos-1 … chaos-N with cash = initialCash (so the ledger audit can replay them), an
 * encrypted e-mail (so their notifications deliver) and `password`; an existing user keeps its
 * account and gets the password.
 */
export async function seedChaosUsers(target: UserAdminTarget, count: number, password: string): Promise<void> {
  const users = Array.from({ length: count }, (_, i) => {
    const userId = chaosUserId(i + 1);
    return { userId, name: `Chaos user ${i + 1}`, email: `${userId}@example.com`, cash: CHAOS_CASH };
  });
  await ensureLoadTestUsers(target, users, password);
}
