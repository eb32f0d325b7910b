import type { LogSink } from "./types.ts";

const COLORS = [36, 33, 35, 32, 34, 91, 92, 93, 94, 95, 96];

/**
 * Every function's log lines in one terminal, each prefixed with its name in its
 * own colour: the original design's four terminals side by side, in one.
 */
export function consoleLogSink(options: { color: boolean; width?: number } = { color: true }): LogSink {
  const width = options.width ?? 22;
  const assigned = new Map<string, number>();
  return (source, line) => {
    if (!assigned.has(source)) assigned.set(source, COLORS[assigned.size % COLORS.length] ?? 36);
    const label = source.padEnd(width).slice(0, width);
    const prefix = options.color ? `\u001b[${assigned.get(source)}m${label}\u001b[0m` : label;
    process.stdout.write(`${prefix} | ${line}\n`);
  };
}
