import { Duration } from "aws-cdk-lib";
import { MathExpression, Metric, Stats, type IMetric } from "aws-cdk-lib/aws-cloudwatch";
import { DIMENSION, METRIC, METRICS_NAMESPACE } from "../../functions/shared/metric-names.ts";

const PERIOD = Duration.minutes(1);

/** A business metric as one function publishes it (Powertools' `service` dimension is its entry name). */
function published(metricName: string, service: string, statistic: string, label: string): Metric {
  return new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { [DIMENSION.SERVICE]: service }, statistic, period: PERIOD, label });
}

/**
 * Every series of a metric whatever the values of its own dimensions (a reason, a ticker),
 * as a CloudWatch SEARCH: new reasons and tickers appear without a change to the dashboard.
 */
function everySeries(metricName: string, dimensions: readonly string[], statistic: string, period: Duration = PERIOD): MathExpression {
  const schema = [METRICS_NAMESPACE, ...dimensions].join(",");
  return new MathExpression({
    expression: `SEARCH('{${schema}} MetricName="${metricName}"', '${statistic}', ${period.toSeconds()})`,
    usingMetrics: {},
    // No label: each series is then named by its own dimension values.
    period,
  });
}

/** The order flow's metrics, as the dashboard graphs them. */
export const businessMetrics = {
  accepted: (): IMetric => published(METRIC.ORDERS_ACCEPTED, "validate-order", Stats.SUM, "accepted"),
  filled: (): IMetric => published(METRIC.ORDERS_FILLED, "process-order", Stats.SUM, "filled"),
  rejectedByReason: (): IMetric => everySeries(METRIC.ORDERS_REJECTED, [DIMENSION.REASON, DIMENSION.SERVICE], "Sum"),
  notionalByTicker: (): IMetric =>
    everySeries(METRIC.FILLED_NOTIONAL, [DIMENSION.CURRENCY, DIMENSION.SERVICE, DIMENSION.TICKER], "Sum", Duration.minutes(5)),
  latency: (statistic: string): IMetric => published(METRIC.ACCEPTANCE_TO_FILL, "process-order", statistic, `acceptance → fill ${statistic}`),
};
