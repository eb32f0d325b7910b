import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { logger } from "./logger.ts";
import { METRICS_NAMESPACE } from "./metric-names.ts";

/**
 * The one Metrics and the one Tracer of every function, beside the one logger. Metrics are
 * EMF lines on stdout, flushed per invocation by the `logMetrics` middleware; their errors
 * go through the logger, as JSON. The Tracer is on only inside Lambda (AWS_EXECUTION_ENV);
 * it sends segments to the X-Ray daemon over UDP, which never waits for an answer.
 */
export const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  // Errors only: an invocation with nothing to count (a 400, a redelivered final order) is
  // normal here, and Powertools would warn about each one.
  logger: logger.createChild({ logLevel: "ERROR" }),
});
export const tracer = new Tracer();
