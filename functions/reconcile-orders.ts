import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import { DEFAULT_MAX_REQUEUES } from "../domain/reconciliation.ts";
import { DynamoAttentionList } from "../adapters/dynamo-attention-list.ts";
import { LambdaConsolidationTrigger } from "../adapters/lambda-consolidation-trigger.ts";
import { SqsOrderQueue } from "../adapters/sqs-order-queue.ts";
import { OrderReconciler, type ReconciliationSummary } from "./reconcile/order-reconciler.ts";
import { ENV } from "./shared/env-names.ts";
import { numberEnvOr, requireEnv } from "./shared/env.ts";
import { logger } from "./shared/logger.ts";
import { tracer } from "./shared/telemetry.ts";

const reconciler = new OrderReconciler({
  attention: new DynamoAttentionList(requireEnv(ENV.TRANSACTIONS_TABLE)),
  queue: new SqsOrderQueue(requireEnv(ENV.ORDERS_QUEUE_URL)),
  consolidation: new LambdaConsolidationTrigger(requireEnv(ENV.CONSOLIDATE_FUNCTION_NAME)),
  policy: { graceMs: numberEnvOr(ENV.RECONCILE_GRACE_SECONDS, 120) * 1000, maxRequeues: DEFAULT_MAX_REQUEUES },
  batchLimit: 500,
});

/** Runs on a schedule: re-queues orders a crash left ACCEPTED, re-starts consolidation of orders never notified. */
const lambdaHandler = async (): Promise<ReconciliationSummary> => {
  const summary = await reconciler.run();
  logger.info("reconciliation done", { ...summary });
  return summary;
};

export const handler = middy(lambdaHandler).use(captureLambdaHandler(tracer));
