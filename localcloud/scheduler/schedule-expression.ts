/** EventBridge schedule expressions: `rate(...)` is run here, `cron(...)` is recognised but not run. */
export type ScheduleExpression =
  | { readonly kind: "rate"; readonly intervalMs: number }
  | { readonly kind: "cron"; readonly fields: string };

export class InvalidScheduleExpressionError extends Error {
  override readonly name = "InvalidScheduleExpressionError";
}

const UNIT_MS: Readonly<Record<string, number>> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.+)\)$/;

export function parseScheduleExpression(expression: string): ScheduleExpression {
  const text = expression.trim();
  const cron = CRON.exec(text);
  if (cron?.[1]) return { kind: "cron", fields: cron[1] };
  const rate = RATE.exec(text);
  if (!rate?.[1] || !rate[2]) {
    throw new InvalidScheduleExpressionError(`"${expression}" is not rate(N minute|minutes|hour|hours|day|days) or cron(...)`);
  }
  const value = Number(rate[1]);
  const unit = rate[2].replace(/s$/, "");
  // As EventBridge insists: 1 takes the singular unit, anything more the plural.
  if (value < 1 || (value === 1) !== (rate[2] === unit)) {
    throw new InvalidScheduleExpressionError(`"${expression}": use "rate(1 ${unit})" for one and "rate(N ${unit}s)" for more`);
  }
  return { kind: "rate", intervalMs: value * (UNIT_MS[unit] ?? Number.NaN) };
}
