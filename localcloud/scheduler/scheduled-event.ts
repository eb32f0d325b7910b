import { randomUUID } from "node:crypto";
import type { CloudContext } from "../types.ts";

export const ruleArn = (ctx: CloudContext, ruleName: string): string => `arn:aws:events:${ctx.region}:${ctx.accountId}:rule/${ruleName}`;

/** What EventBridge hands a target when a schedule fires and the rule gives no constant input. */
export function scheduledEvent(ctx: CloudContext, ruleName: string, firedAt: Date) {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account: ctx.accountId,
    // EventBridge gives whole seconds.
    time: firedAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: ctx.region,
    resources: [ruleArn(ctx, ruleName)],
    detail: {},
  };
}
