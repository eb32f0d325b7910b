import { centsFromDecimal } from "../domain/money.ts";
import type { UserAdminTarget } from "../ops/user-admin.ts";
import { ensureLoadTestUsers } from "./load-users.ts";
import { benchUserId } from "./order-mix.ts";

/** Far more than any run can spend, so a buy is never rejected for lack of cash. */
export const BENCH_CASH = { BRL: centsFromDecimal("100000000.00"), USD: centsFromDecimal("100000000.00") };

/**
 * Creates users bench-1 … bench-N the way the seed script creates the demo users (profile
 * with an encrypted e-mail, cash = initialCash, a password hash); an existing user keeps its
 * account, so the ledger audit still balances after several runs, and gets `password`.
 */
export async function seedBenchUsers(target: UserAdminTarget, count: number, password: string): Promise<{ created: number; existing: number }> {
  const users = Array.from({ length: count }, (_, i) => {
    const userId = benchUserId(i + 1);
    return { userId, name: `Bench user ${i + 1}`, email: `${userId}@example.com`, cash: BENCH_CASH };
  });
  return ensureLoadTestUsers(target, users, password);
}
