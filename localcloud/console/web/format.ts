/** Small formatting helpers shared by the panels. */

export function formatMs(ms: number): string {
  if (ms === 0) return "–";
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

export function clockTime(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

const PALETTE = ["#2563eb", "#d97706", "#059669", "#7c3aed", "#db2777", "#0891b2", "#65a30d", "#dc2626", "#4f46e5", "#0d9488"];

/** The same colour for a source everywhere on the page. */
export function colorOf(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length] ?? "#2563eb";
}

/** A JSON log line's message and its other keys, or the plain line. */
export function readLine(line: string): { message: string; keys: [string, string][] } {
  if (!line.trimStart().startsWith("{")) return { message: line, keys: [] };
  try {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    const skip = new Set(["message", "level", "timestamp", "service", "sampling_rate", "correlationId", "xray_trace_id"]);
    const keys = Object.entries(parsed)
      .filter(([key]) => !skip.has(key))
      .map(([key, value]): [string, string] => [key, typeof value === "string" ? value : JSON.stringify(value)]);
    return { message: typeof parsed["message"] === "string" ? parsed["message"] : "", keys };
  } catch {
    return { message: line, keys: [] };
  }
}
