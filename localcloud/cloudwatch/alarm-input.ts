/**
 * An alarm as PutMetricAlarm and AWS::CloudWatch::Alarm both describe it (the same
 * member names). Query-protocol values arrive as strings, so numbers and booleans are coerced.
 */
import { z } from "zod";
import type { AlarmDefinition, MetricDataQuery } from "./alarm-definition.ts";
import { COMPARISON_OPERATORS, type ComparisonOperator, type TreatMissingData } from "./alarm-rules.ts";
import { InvalidParameterValueError } from "./errors.ts";
import type { Dimensions } from "./metric-store.ts";
import { isStatistic } from "./statistics.ts";

const number = z.coerce.number().refine(Number.isFinite, "must be a number");
const integer = z.coerce.number().int().positive();
const boolean = z.preprocess((value) => (value === "false" ? false : value === "true" ? true : value), z.boolean());
const list = <T extends z.ZodType>(item: T) => z.array(item).optional().default([]);
const dimensions = list(z.object({ Name: z.string().min(1), Value: z.coerce.string() }));

const metricStat = z.object({
  Metric: z.object({ Namespace: z.string().min(1), MetricName: z.string().min(1), Dimensions: dimensions }),
  Period: integer,
  Stat: z.string().refine(isStatistic, "is not a statistic CloudWatch knows"),
  Unit: z.string().optional(),
});

export const metricDataQuerySchema = z
  .object({
    Id: z.string().regex(/^[a-z][a-zA-Z0-9_]*$/, "must start with a lower-case letter and hold only letters, digits and _"),
    MetricStat: metricStat.optional(),
    Expression: z.string().min(1).optional(),
    Label: z.string().optional(),
    ReturnData: boolean.optional(),
    Period: integer.optional(),
  })
  .refine((query) => (query.MetricStat === undefined) !== (query.Expression === undefined), "needs exactly one of MetricStat and Expression");

const alarmSchema = z
  .object({
    AlarmName: z.string().min(1).max(255),
    AlarmDescription: z.string().optional(),
    ActionsEnabled: boolean.optional().default(true),
    AlarmActions: list(z.string()),
    OKActions: list(z.string()),
    InsufficientDataActions: list(z.string()),
    Namespace: z.string().optional(),
    MetricName: z.string().optional(),
    Dimensions: dimensions,
    Statistic: z.enum(["SampleCount", "Average", "Sum", "Minimum", "Maximum"]).optional(),
    ExtendedStatistic: z.string().refine(isStatistic, "is not a percentile such as p99").optional(),
    Period: integer.optional(),
    Unit: z.string().optional(),
    Metrics: z.array(metricDataQuerySchema).optional(),
    EvaluationPeriods: integer,
    DatapointsToAlarm: integer.optional(),
    Threshold: number,
    ComparisonOperator: z.string().refine((op) => COMPARISON_OPERATORS.includes(op), `must be one of ${COMPARISON_OPERATORS.join(", ")}`),
    TreatMissingData: z.enum(["missing", "ignore", "breaching", "notBreaching"]).optional(),
  })
  .refine((alarm) => (alarm.Metrics === undefined) !== (alarm.MetricName === undefined), "needs either MetricName (with Namespace, Period and a statistic) or Metrics")
  .refine((alarm) => alarm.Metrics !== undefined || (alarm.Namespace !== undefined && alarm.Period !== undefined && (alarm.Statistic ?? alarm.ExtendedStatistic) !== undefined), "a single-metric alarm needs Namespace, Period and Statistic or ExtendedStatistic");

export function dimensionsOf(list: readonly { Name: string; Value: string }[]): Dimensions {
  return Object.fromEntries(list.map((dimension) => [dimension.Name, dimension.Value]));
}

export function metricDataQueryOf(query: z.infer<typeof metricDataQuerySchema>): MetricDataQuery {
  const stat = query.MetricStat;
  return {
    id: query.Id,
    ...(stat ? { metricStat: { metric: { namespace: stat.Metric.Namespace, metricName: stat.Metric.MetricName, dimensions: dimensionsOf(stat.Metric.Dimensions) }, periodSeconds: stat.Period, stat: stat.Stat } } : {}),
    ...(query.Expression !== undefined ? { expression: query.Expression } : {}),
    ...(query.Label !== undefined ? { label: query.Label } : {}),
    ...(query.ReturnData !== undefined ? { returnData: query.ReturnData } : {}),
    ...(query.Period !== undefined ? { periodSeconds: query.Period } : {}),
  };
}

/** Reads an alarm; a bad one is an InvalidParameterValue naming the member, never a 500. */
export function alarmDefinitionOf(input: unknown): AlarmDefinition {
  const parsed = alarmSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidParameterValueError(`${issue?.path.join(".") || "Alarm"}: ${issue?.message ?? "invalid"}`);
  }
  const alarm = parsed.data;
  return {
    name: alarm.AlarmName,
    ...(alarm.AlarmDescription !== undefined ? { description: alarm.AlarmDescription } : {}),
    actionsEnabled: alarm.ActionsEnabled,
    alarmActions: alarm.AlarmActions,
    okActions: alarm.OKActions,
    insufficientDataActions: alarm.InsufficientDataActions,
    evaluationPeriods: alarm.EvaluationPeriods,
    ...(alarm.DatapointsToAlarm !== undefined ? { datapointsToAlarm: alarm.DatapointsToAlarm } : {}),
    threshold: alarm.Threshold,
    comparisonOperator: alarm.ComparisonOperator as ComparisonOperator,
    ...(alarm.TreatMissingData !== undefined ? { treatMissingData: alarm.TreatMissingData as TreatMissingData } : {}),
    ...(alarm.Metrics !== undefined
      ? { metrics: alarm.Metrics.map(metricDataQueryOf) }
      : {
          metric: {
            namespace: alarm.Namespace ?? "",
            metricName: alarm.MetricName ?? "",
            dimensions: dimensionsOf(alarm.Dimensions),
            stat: alarm.Statistic ?? alarm.ExtendedStatistic ?? "Average",
            periodSeconds: alarm.Period ?? 60,
            ...(alarm.Unit !== undefined ? { unit: alarm.Unit } : {}),
          },
        }),
  };
}
