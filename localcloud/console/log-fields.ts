/** What the console reads out of one log line: Lambda's framing lines and a structured logger's keys. */

export type Framing =
  | { readonly kind: "start"; readonly requestId: string }
  | { readonly kind: "end"; readonly requestId: string }
  | { readonly kind: "report"; readonly requestId: string; readonly durationMs: number };

const START = /^START RequestId: (\S+)/;
const END = /^END RequestId: (\S+)/;
const REPORT = /^REPORT RequestId: (\S+)\s+Duration: ([\d.]+) ms/;

/** Lambda's START / END / REPORT line, or undefined for any other line. */
export function framingOf(line: string): Framing | undefined {
  const start = START.exec(line);
  if (start?.[1] !== undefined) return { kind: "start", requestId: start[1] };
  const end = END.exec(line);
  if (end?.[1] !== undefined) return { kind: "end", requestId: end[1] };
  const report = REPORT.exec(line);
  if (report?.[1] !== undefined && report[2] !== undefined) return { kind: "report", requestId: report[1], durationMs: Number(report[2]) };
  return undefined;
}

export interface LineFields {
  readonly level?: string;
  readonly correlationId?: string;
  readonly orderId?: string;
}

/** Runtime lines that mean the invocation failed, whatever the function's own logger said. */
const FAILURE_TEXT = /Task timed out|Invoke Error|Sandbox crashed|Runtime\.\w+Error/;

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : undefined);

/**
 * Level, correlation id and order id of a JSON line (Powertools' keys, or snake_case ones);
 * a plain line has only a level, and only when it reports a failure.
 */
export function fieldsOf(line: string): LineFields {
  const trimmed = line.trimStart();
  if (trimmed.startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
        const record = parsed as Record<string, unknown>;
        const level = text(record["level"] ?? record["severity"])?.toUpperCase();
        const correlationId = text(record["correlationId"] ?? record["correlation_id"]);
        const orderId = text(record["orderId"] ?? record["order_id"]);
        return { ...(level ? { level } : {}), ...(correlationId ? { correlationId } : {}), ...(orderId ? { orderId } : {}) };
      }
    } catch {
      // Not JSON after all: read it as a plain line.
    }
  }
  return FAILURE_TEXT.test(line) ? { level: "ERROR" } : {};
}
