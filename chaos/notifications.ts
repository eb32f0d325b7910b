import { readFileSync } from "node:fs";

export interface NotificationCounts {
  readonly push: Map<string, number>;
  readonly email: Map<string, number>;
}

const DELIVERED = /"message"\s*:\s*"(push|email) delivered"/;
const ORDER_ID = /"orderId"\s*:\s*"([^"]+)"/;

/** Counts the "push delivered" / "email delivered" log lines per orderId in the captured output of every start. */
export function countNotifications(logFile: string): NotificationCounts {
  const push = new Map<string, number>();
  const email = new Map<string, number>();
  for (const line of readFileSync(logFile, "utf8").split("\n")) {
    const kind = DELIVERED.exec(line)?.[1];
    const orderId = kind ? ORDER_ID.exec(line)?.[1] : undefined;
    if (!kind || !orderId) continue;
    const counts = kind === "push" ? push : email;
    counts.set(orderId, (counts.get(orderId) ?? 0) + 1);
  }
  return { push, email };
}
