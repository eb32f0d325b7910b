import { Duration } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, MathExpression, Stats, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import type { BrokerageFunction } from "../compute/brokerage-function.ts";
import type { QueueWithDeadLetterQueue } from "../messaging/queue-with-dead-letter-queue.ts";

/** A queue with more messages waiting than this, for a whole minute, is falling behind. */
export const BACKLOG_THRESHOLD = 10;
/** A function that fails more than this share of its invocations (in percent) is in trouble. */
export const ERROR_RATE_THRESHOLD_PERCENT = 5;
const MINUTE = Duration.minutes(1);
/** Error rates are judged over five minutes, so one failure among a handful of invocations is not an alarm. */
const ERROR_RATE_PERIOD = Duration.minutes(5);

/** What an alarm is about: `label` names its construct ("Orders"), `prefix` + label its alarm ("Brokerage-Orders"). */
export interface AlarmSubject {
  readonly label: string;
  readonly prefix: string;
}

const visible = { period: MINUTE, statistic: Stats.MAXIMUM };

/** More than BACKLOG_THRESHOLD messages visible (Maximum) for one minute. */
export function backlogAlarm(scope: Construct, { label, prefix }: AlarmSubject, queue: IQueue): Alarm {
  return new Alarm(scope, `${label}Backlog`, {
    alarmName: `${prefix}-${label}-Backlog`,
    alarmDescription: `More than ${BACKLOG_THRESHOLD} messages waited on the ${label} queue for a minute: its consumer is falling behind or failing.`,
    metric: queue.metricApproximateNumberOfMessagesVisible(visible),
    threshold: BACKLOG_THRESHOLD,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

/** Any message visible on a dead-letter queue (Maximum over one minute). */
export function deadLetterAlarm(scope: Construct, { label, prefix }: AlarmSubject, queue: IQueue): Alarm {
  return new Alarm(scope, `${label}DeadLetters`, {
    alarmName: `${prefix}-${label}-DeadLetters`,
    alarmDescription: `A message reached the ${label} dead-letter queue: it failed every delivery. See \`npm run dlq\` to inspect and redrive it.`,
    metric: queue.metricApproximateNumberOfMessagesVisible(visible),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

/** The backlog alarm of a queue and the dead-letter alarm of its dead-letter queue. */
export function queueAlarms(scope: Construct, subject: AlarmSubject, queues: QueueWithDeadLetterQueue): Alarm[] {
  return [backlogAlarm(scope, subject, queues.queue), deadLetterAlarm(scope, subject, queues.deadLetterQueue)];
}

/** The error rate of a function in percent: 100 × Sum(Errors) / Sum(Invocations). */
export function errorRate(fn: BrokerageFunction, period: Duration = ERROR_RATE_PERIOD): MathExpression {
  return new MathExpression({
    expression: "100 * errors / invocations",
    usingMetrics: {
      errors: fn.metricErrors({ statistic: Stats.SUM, period }),
      invocations: fn.metricInvocations({ statistic: Stats.SUM, period }),
    },
    label: "error rate (%)",
    period,
  });
}

/** Errors over 5 % of the invocations; no invocations is no data, which is not an alarm. */
export function errorRateAlarm(scope: Construct, { label, prefix }: AlarmSubject, fn: BrokerageFunction): Alarm {
  return new Alarm(scope, `${label}ErrorRate`, {
    alarmName: `${prefix}-${label}-ErrorRate`,
    alarmDescription: `More than ${ERROR_RATE_THRESHOLD_PERCENT} % of the ${label} function's invocations failed in five minutes.`,
    metric: errorRate(fn),
    threshold: ERROR_RATE_THRESHOLD_PERCENT,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}
