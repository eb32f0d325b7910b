/** Captures the JSON log lines the handlers write to stdout and stderr (warnings and errors). */
export interface CapturedLogs {
  readonly lines: Record<string, unknown>[];
  stop(): void;
}

type Write = typeof process.stdout.write;

function intercept(stream: NodeJS.WriteStream, lines: Record<string, unknown>[]): () => void {
  const original = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    let captured = false;
    for (const line of text.split("\n")) {
      if (!line.startsWith("{")) continue;
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
        captured = true;
      } catch {
        // not a log line
      }
    }
    // Anything else (the test runner's own output) still goes through.
    return captured ? true : original(chunk, ...rest);
  }) as Write;
  return () => void (stream.write = original as Write);
}

export function captureLogs(): CapturedLogs {
  const lines: Record<string, unknown>[] = [];
  const restore = [intercept(process.stdout, lines), intercept(process.stderr, lines)];
  return { lines, stop: () => restore.forEach((undo) => undo()) };
}
