/**
 * Metric math's arithmetic: `+ - * /`, parentheses, numbers and metric ids (e.g.
 * `100 * errors / invocations`). Two series combine on the timestamps both have;
 * a division by zero gives no datapoint, as in CloudWatch.
 */
import type { PeriodValues } from "./metric-store.ts";

export class MetricMathError extends Error {
  override readonly name = "MetricMathError";
}

type Value = number | PeriodValues;

type Token = { kind: "number"; value: number } | { kind: "id"; name: string } | { kind: "op"; op: string };

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/()]))/y;
  let index = 0;
  while (index < expression.length) {
    if (/^\s*$/.test(expression.slice(index))) break;
    pattern.lastIndex = index;
    const match = pattern.exec(expression);
    if (!match) throw new MetricMathError(`Unsupported metric math near "${expression.slice(index).trim()}" in "${expression}"`);
    if (match[1] !== undefined) tokens.push({ kind: "number", value: Number(match[1]) });
    else if (match[2] !== undefined) tokens.push({ kind: "id", name: match[2] });
    else tokens.push({ kind: "op", op: match[3] ?? "" });
    index = pattern.lastIndex;
  }
  return tokens;
}

/** The metric ids an expression reads. */
export function idsOf(expression: string): string[] {
  return [...new Set(tokenize(expression).flatMap((token) => (token.kind === "id" ? [token.name] : [])))];
}

/** Evaluates the expression over the series by id; a number alone gives a series without points. */
export function evaluateExpression(expression: string, series: ReadonlyMap<string, PeriodValues>): PeriodValues {
  const tokens = tokenize(expression);
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const isOp = (op: string): boolean => {
    const token = peek();
    return token?.kind === "op" && token.op === op;
  };
  const expect = (op: string): void => {
    if (!isOp(op)) throw new MetricMathError(`Expected "${op}" in "${expression}"`);
    position++;
  };

  const primary = (): Value => {
    const token = peek();
    position++;
    if (token === undefined) throw new MetricMathError(`Unexpected end of "${expression}"`);
    if (token.kind === "number") return token.value;
    if (token.kind === "id") {
      const values = series.get(token.name);
      if (values === undefined) throw new MetricMathError(`Unknown metric id "${token.name}" in "${expression}"`);
      return values;
    }
    if (token.op === "(") {
      const inner = sum();
      expect(")");
      return inner;
    }
    if (token.op === "-") return combine(-1, primary(), "*");
    if (token.op === "+") return primary();
    throw new MetricMathError(`Unexpected "${token.op}" in "${expression}"`);
  };
  const product = (): Value => {
    let left = primary();
    while (isOp("*") || isOp("/")) {
      const op = (peek() as { op: string }).op;
      position++;
      left = combine(left, primary(), op);
    }
    return left;
  };
  const sum = (): Value => {
    let left = product();
    while (isOp("+") || isOp("-")) {
      const op = (peek() as { op: string }).op;
      position++;
      left = combine(left, product(), op);
    }
    return left;
  };

  const result = sum();
  if (position < tokens.length) throw new MetricMathError(`Unexpected input after position ${position} in "${expression}"`);
  return typeof result === "number" ? { timestamps: [], values: [] } : result;
}

function apply(a: number, b: number, op: string): number | undefined {
  switch (op) {
    case "+": return a + b;
    case "-": return a - b;
    case "*": return a * b;
    default: return b === 0 ? undefined : a / b;
  }
}

function combine(left: Value, right: Value, op: string): Value {
  if (typeof left === "number" && typeof right === "number") return apply(left, right, op) ?? Number.NaN;
  const timestamps: number[] = [];
  const values: number[] = [];
  const push = (timestamp: number, value: number | undefined) => {
    if (value === undefined || !Number.isFinite(value)) return;
    timestamps.push(timestamp);
    values.push(value);
  };
  if (typeof left === "number") {
    const scalar = left;
    const series = right as PeriodValues;
    series.timestamps.forEach((t, i) => push(t, apply(scalar, series.values[i] ?? 0, op)));
  } else if (typeof right === "number") {
    const scalar = right;
    left.timestamps.forEach((t, i) => push(t, apply(left.values[i] ?? 0, scalar, op)));
  } else {
    const byTime = new Map(right.timestamps.map((t, i) => [t, right.values[i] ?? 0]));
    left.timestamps.forEach((t, i) => {
      const other = byTime.get(t);
      if (other !== undefined) push(t, apply(left.values[i] ?? 0, other, op));
    });
  }
  return { timestamps, values };
}
