/**
 * How CloudWatch decides an alarm's state from its last EvaluationPeriods datapoints
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html):
 * ALARM when at least DatapointsToAlarm of them breach. Missing datapoints count as
 * TreatMissingData says; with `missing` or `ignore` they are left out, and when fewer
 * datapoints than DatapointsToAlarm remain, the alarm goes to ALARM only if all of them breach.
 */
import type { AlarmStateValue } from "../monitoring/monitoring-view.ts";

export type ComparisonOperator =
  | "GreaterThanOrEqualToThreshold"
  | "GreaterThanThreshold"
  | "LessThanThreshold"
  | "LessThanOrEqualToThreshold";

export const COMPARISON_OPERATORS: readonly string[] = ["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"];

export type TreatMissingData = "missing" | "ignore" | "breaching" | "notBreaching";

export interface AlarmRule {
  readonly evaluationPeriods: number;
  /** @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  readonly threshold: number;
  readonly comparisonOperator: ComparisonOperator;
  /** @default "missing" */
  readonly treatMissingData?: TreatMissingData;
}

/** A decided state with CloudWatch's kind of reason; undefined means "keep the current state". */
export interface Decision {
  readonly state: AlarmStateValue;
  readonly reason: string;
}

const WORDS: Record<ComparisonOperator, string> = {
  GreaterThanOrEqualToThreshold: "greater than or equal to",
  GreaterThanThreshold: "greater than",
  LessThanThreshold: "less than",
  LessThanOrEqualToThreshold: "less than or equal to",
};

export function breaches(value: number, rule: Pick<AlarmRule, "threshold" | "comparisonOperator">): boolean {
  switch (rule.comparisonOperator) {
    case "GreaterThanOrEqualToThreshold": return value >= rule.threshold;
    case "GreaterThanThreshold": return value > rule.threshold;
    case "LessThanThreshold": return value < rule.threshold;
    case "LessThanOrEqualToThreshold": return value <= rule.threshold;
  }
}

/**
 * `datapoints` holds one entry per evaluation period, oldest first; undefined for a
 * period without data. Returns undefined when the state is to stay as it is.
 */
export function decideState(datapoints: readonly (number | undefined)[], rule: AlarmRule): Decision | undefined {
  const wanted = Math.min(rule.datapointsToAlarm ?? rule.evaluationPeriods, rule.evaluationPeriods);
  const treat = rule.treatMissingData ?? "missing";
  const present = datapoints.filter((value): value is number => value !== undefined);
  const missing = datapoints.length - present.length;
  const breaching = present.filter((value) => breaches(value, rule));
  const words = WORDS[rule.comparisonOperator];
  const shown = `[${present.map((value) => formatValue(value)).join(", ")}]`;

  if (present.length === 0) {
    switch (treat) {
      case "missing": return { state: "INSUFFICIENT_DATA", reason: `Insufficient Data: ${datapoints.length} datapoints were unknown.` };
      case "ignore": return undefined;
      case "breaching": return { state: "ALARM", reason: `Threshold Crossed: no datapoints were received for ${datapoints.length} periods and ${datapoints.length} missing datapoints were treated as [Breaching].` };
      case "notBreaching": return { state: "OK", reason: `Threshold Crossed: no datapoints were received for ${datapoints.length} periods and ${datapoints.length} missing datapoints were treated as [NonBreaching].` };
    }
  }
  let breachingCount = breaching.length;
  let enough = wanted;
  if (treat === "breaching") breachingCount += missing;
  else if (treat === "missing" || treat === "ignore") enough = Math.min(wanted, present.length);
  const alarm = breachingCount >= enough;
  const count = alarm ? breachingCount : present.length;
  const reason =
    `Threshold Crossed: ${count} out of the last ${datapoints.length} datapoints ${shown} ` +
    `${alarm ? "was" : "was not"} ${words} the threshold (${formatValue(rule.threshold)})` +
    (missing > 0 && (treat === "breaching" || treat === "notBreaching") ? ` (${missing} missing datapoints treated as ${treat === "breaching" ? "[Breaching]" : "[NonBreaching]"})` : "") +
    ` (minimum ${wanted} datapoint${wanted === 1 ? "" : "s"} for ${alarm ? "OK -> ALARM" : "ALARM -> OK"} transition).`;
  return { state: alarm ? "ALARM" : "OK", reason };
}

/** CloudWatch shows values like "1.0" and "0.5". */
export function formatValue(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}
